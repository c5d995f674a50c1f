package dev.legitscaler.scaler.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's certificate chain and private key, read and checked at start-up: the key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, cert-manager's default
 * encoding), and must belong to the first certificate, so that a mismatched pair fails at start-up
 * instead of failing every handshake. Every error names the flag and the file.
 *
 * @param pkcs8Pem the key re-encoded as PKCS#8 PEM (what the TLS stack loads)
 */
record PemKeyPair(List<X509Certificate> chain, PrivateKey key, byte[] certPem, byte[] pkcs8Pem) {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  static PemKeyPair read(Path certFile, Path keyFile) {
    byte[] certPem = bytes("--tls-cert-file", certFile);
    List<X509Certificate> chain;
    try {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certPem))
          .stream().map(c -> (X509Certificate) c).toList();
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("option '--tls-cert-file' has invalid value '" + certFile
          + "': expected a PEM certificate chain (" + e.getMessage() + ")");
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("option '--tls-cert-file' has invalid value '" + certFile
          + "': expected a PEM certificate chain (no certificate found)");
    }
    String keyText = new String(bytes("--tls-key-file", keyFile), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(keyText);
    String form = "a PEM private key, PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 RSA (BEGIN RSA PRIVATE KEY), unencrypted";
    byte[] pkcs8;
    if (!m.find()) {
      throw bad(keyFile, form + " (no PEM block found)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw bad(keyFile, form + " (bad base64)");
    }
    switch (m.group(1)) {
      case "PRIVATE KEY" -> pkcs8 = der;
      case "RSA PRIVATE KEY" -> pkcs8 = rsaPkcs1ToPkcs8(der);
      default -> throw bad(keyFile, form + " (found BEGIN " + m.group(1) + ")");
    }
    PublicKey certKey = chain.get(0).getPublicKey();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(certKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw bad(keyFile, form + " of the certificate's key type " + certKey.getAlgorithm() + " (" + e.getMessage()
          + ")");
    }
    if (!matches(key, certKey)) {
      throw new IllegalArgumentException("options '--tls-cert-file' '" + certFile + "' and '--tls-key-file' '"
          + keyFile + "' do not match: the private key does not belong to the first certificate");
    }
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
    return new PemKeyPair(chain, key, certPem, pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Signs a probe with the key and verifies it with the certificate's public key. */
  static boolean matches(PrivateKey key, PublicKey pub) {
    String alg = switch (pub.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (alg == null) {
      return true; // unknown type: the TLS stack decides
    }
    try {
      byte[] probe = "legit-scaler key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octets = der(0x04, pkcs1);
    byte[] body = new byte[version.length + algorithm.length + octets.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
    System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] len;
    if (n < 0x80) {
      len = new byte[] {(byte) n};
    } else if (n < 0x100) {
      len = new byte[] {(byte) 0x81, (byte) n};
    } else if (n < 0x10000) {
      len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    } else {
      len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
    byte[] out = new byte[1 + len.length + n];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, n);
    return out;
  }

  private static IllegalArgumentException bad(Path keyFile, String form) {
    return new IllegalArgumentException("option '--tls-key-file' has invalid value '" + keyFile + "': expected "
        + form);
  }

  private static byte[] bytes(String flag, Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("option '" + flag + "' has invalid value '" + p
          + "': expected a readable PEM file (" + e.getMessage() + ")");
    }
  }
}
