package dev.legitscaler.scaler.tls;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA, a server certificate (localhost, 127.0.0.1) and a client certificate, written as PEM files. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  /** The server key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), cert-manager's default encoding. */
  public final Path serverKeyPkcs1;
  public final Path clientCert;
  public final Path clientKey;
  /** A client certificate from a CA the server does not trust. */
  public final Path strangerCert;
  public final Path strangerKey;

  public TestCertificates(Path dir) throws Exception {
    KeyPair ca = rsa();
    X509Certificate caC = sign("CN=legit-scaler test CA", ca, "CN=legit-scaler test CA", ca.getPrivate(), true, null);
    KeyPair server = rsa();
    X509Certificate serverC = sign("CN=localhost", server, "CN=legit-scaler test CA", ca.getPrivate(), false,
        KeyPurposeId.id_kp_serverAuth);
    KeyPair client = rsa();
    X509Certificate clientC = sign("CN=keda-operator", client, "CN=legit-scaler test CA", ca.getPrivate(), false,
        KeyPurposeId.id_kp_clientAuth);
    KeyPair otherCa = rsa();
    KeyPair stranger = rsa();
    X509Certificate strangerC = sign("CN=stranger", stranger, "CN=other CA", otherCa.getPrivate(), false,
        KeyPurposeId.id_kp_clientAuth);
    caCert = write(dir.resolve("ca.pem"), caC);
    serverCert = write(dir.resolve("server.pem"), serverC);
    serverKey = writeKey(dir.resolve("server-key.pem"), server.getPrivate());
    serverKeyPkcs1 = dir.resolve("server-key-pkcs1.pem");
    try (Writer w = Files.newBufferedWriter(serverKeyPkcs1); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(server.getPrivate()); // BouncyCastle writes an RSA key as PKCS#1
    }
    clientCert = write(dir.resolve("client.pem"), clientC);
    clientKey = writeKey(dir.resolve("client-key.pem"), client.getPrivate());
    strangerCert = write(dir.resolve("stranger.pem"), strangerC);
    strangerKey = writeKey(dir.resolve("stranger-key.pem"), stranger.getPrivate());
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
      boolean isCa, KeyPurposeId purpose) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
  }

  private static Path write(Path p, X509Certificate c) throws IOException {
    try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(c);
    }
    return p;
  }

  private static Path writeKey(Path p, PrivateKey k) throws Exception {
    try (Writer w = Files.newBufferedWriter(p); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(k, null));
    }
    return p;
  }
}
