package dev.legitscaler.scaler.tls;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's transport security, from PEM files: plaintext (no files), TLS (certificate chain + PKCS#8
 * or PKCS#1 RSA private key, checked to match) or mTLS (plus a client CA: every client must present a certificate signed by it).
 *
 * @param certFile PEM certificate chain
 * @param keyFile PEM private key, PKCS#8 ({@code BEGIN PRIVATE KEY})
 * @param clientCaFile PEM CA bundle that client certificates are verified against
 */
public record TlsFiles(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> clientCaFile) {

  public static TlsFiles plaintext() {
    return new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** {@code plaintext}, {@code tls} or {@code mtls}. */
  public String mode() {
    if (certFile.isEmpty()) {
      return "plaintext";
    }
    return clientCaFile.isPresent() ? "mtls" : "tls";
  }

  /**
   * Validates the combination and builds the credentials. Throws {@link IllegalArgumentException} whose
   * message names the flag and the accepted form.
   */
  public ServerCredentials credentials() throws IOException {
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      String missing = certFile.isEmpty() ? "--tls-cert-file" : "--tls-key-file";
      throw new IllegalArgumentException("option '" + missing + "' is missing: --tls-cert-file and --tls-key-file"
          + " go together (a PEM certificate chain and its PEM PKCS#8 private key)");
    }
    if (certFile.isEmpty()) {
      if (clientCaFile.isPresent()) {
        throw new IllegalArgumentException("option '--tls-client-ca-file' needs --tls-cert-file and --tls-key-file:"
            + " client certificates can only be verified over TLS");
      }
      return InsecureServerCredentials.create();
    }
    readable("--tls-cert-file", certFile.get());
    readable("--tls-key-file", keyFile.get());
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder();
    PemKeyPair pair = PemKeyPair.read(certFile.get(), keyFile.get()); // PKCS#1 or #8; the pair must match
    try {
      b.keyManager(new java.io.ByteArrayInputStream(pair.certPem()), new java.io.ByteArrayInputStream(pair.pkcs8Pem()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("options '--tls-cert-file'/'--tls-key-file': cannot load " + certFile.get()
          + " / " + keyFile.get() + ": expected a PEM certificate chain and a PEM PKCS#8 private key (" + e.getMessage()
          + ")");
    }
    if (clientCaFile.isPresent()) {
      readable("--tls-client-ca-file", clientCaFile.get());
      try {
        b.trustManager(clientCaFile.get().toFile());
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("option '--tls-client-ca-file': cannot load " + clientCaFile.get()
            + ": expected PEM CA certificates (" + e.getMessage() + ")");
      }
      b.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }

  private static void readable(String flag, Path p) {
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException("option '" + flag + "' has invalid value '" + p + "': expected a readable PEM file");
    }
  }
}
