package dev.legitscaler.scaler.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plaintext, TLS and mTLS over real Netty sockets on loopback, with certificates made in the test. */
class TransportSecurityTest {
  @TempDir
  static Path dir;
  static TestCertificates certs;

  private ScalerApp app;
  private ManagedChannel channel;
  private final InMemorySignalFactory signals = new InMemorySignalFactory();

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCertificates(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (app != null) {
      app.stop(Duration.ofSeconds(5));
    }
  }

  private void start(TlsFiles tls) throws Exception {
    app = ScalerApp.start(new ScalerApp.Settings(0, 0, ServerDefaults.none(), tls, 2, Duration.ofSeconds(2)), signals,
        () -> { }, Clock.systemUTC());
  }

  private ManagedChannel connect(ChannelCredentials creds) {
    channel = Grpc.newChannelBuilderForAddress("localhost", app.grpcPort(), creds).build();
    return channel;
  }

  private static HealthCheckResponse.ServingStatus health(ManagedChannel ch) {
    return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  private static long getMetrics(ManagedChannel ch) {
    ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("ml").setName("model")
        .putScalerMetadata("loadQuery", "q").build();
    return ExternalScalerGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
        .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).build()).getMetricValues(0).getMetricValue();
  }

  @Test
  void plaintextByDefault() throws Exception {
    signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    start(TlsFiles.plaintext());
    ManagedChannel ch = connect(InsecureChannelCredentials.create());
    assertThat(health(ch)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(getMetrics(ch)).isEqualTo(5);
  }

  @Test
  void tlsServesClientsThatTrustTheCaAndRefusesPlaintext() throws Exception {
    signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    start(new TlsFiles(Optional.of(certs.serverCert), Optional.of(certs.serverKey), Optional.empty()));
    ManagedChannel ch = connect(TlsChannelCredentials.newBuilder().trustManager(certs.caCert.toFile()).build());
    assertThat(health(ch)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(getMetrics(ch)).isEqualTo(5);
    ch.shutdownNow();

    ManagedChannel plain = connect(InsecureChannelCredentials.create());
    assertThatThrownBy(() -> health(plain)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void mtlsRequiresAClientCertificateSignedByTheClientCa() throws Exception {
    signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    start(new TlsFiles(Optional.of(certs.serverCert), Optional.of(certs.serverKey), Optional.of(certs.caCert)));
    assertThat(new TlsFiles(Optional.of(certs.serverCert), Optional.of(certs.serverKey), Optional.of(certs.caCert))
        .mode()).isEqualTo("mtls");

    ManagedChannel withCert = connect(TlsChannelCredentials.newBuilder().trustManager(certs.caCert.toFile())
        .keyManager(certs.clientCert.toFile(), certs.clientKey.toFile()).build());
    assertThat(health(withCert)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(getMetrics(withCert)).isEqualTo(5);
    withCert.shutdownNow();

    ManagedChannel noCert = connect(TlsChannelCredentials.newBuilder().trustManager(certs.caCert.toFile()).build());
    assertThatThrownBy(() -> health(noCert)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    noCert.shutdownNow();

    ManagedChannel stranger = connect(TlsChannelCredentials.newBuilder().trustManager(certs.caCert.toFile())
        .keyManager(certs.strangerCert.toFile(), certs.strangerKey.toFile()).build());
    assertThatThrownBy(() -> health(stranger)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void incompleteTlsSettingsNameTheFlag() {
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.serverCert), Optional.empty(), Optional.empty()).credentials())
        .hasMessageContaining("--tls-key-file");
    assertThatThrownBy(() -> new TlsFiles(Optional.empty(), Optional.empty(), Optional.of(certs.caCert)).credentials())
        .hasMessageContaining("--tls-client-ca-file");
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.caCert), Optional.of(dir.resolve("missing.pem")),
        Optional.empty()).credentials())
        .hasMessageContaining("--tls-key-file").hasMessageContaining("readable PEM file");
  }

  @Test
  void aPkcs1KeyServesTls() throws Exception {
    assertThat(java.nio.file.Files.readString(certs.serverKeyPkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    start(new TlsFiles(Optional.of(certs.serverCert), Optional.of(certs.serverKeyPkcs1), Optional.empty()));
    ManagedChannel ch = connect(TlsChannelCredentials.newBuilder().trustManager(certs.caCert.toFile()).build());
    assertThat(health(ch)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void aMismatchedPairOrAGarbageKeyFailsAtStartNamingFlagAndFile() throws Exception {
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.serverCert), Optional.of(certs.clientKey),
        Optional.empty()).credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-cert-file").hasMessageContaining("--tls-key-file")
        .hasMessageContaining(certs.clientKey.toString()).hasMessageContaining("do not match");
    java.nio.file.Path garbage = java.nio.file.Files.writeString(dir.resolve("garbage.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.serverCert), Optional.of(garbage),
        Optional.empty()).credentials())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--tls-key-file").hasMessageContaining(garbage.toString());
    java.nio.file.Path ec = java.nio.file.Files.writeString(dir.resolve("ec.pem"),
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.serverCert), Optional.of(ec), Optional.empty())
        .credentials()).hasMessageContaining("--tls-key-file").hasMessageContaining("found BEGIN EC PRIVATE KEY");
    assertThatThrownBy(() -> new TlsFiles(Optional.of(certs.serverKey), Optional.of(certs.serverKey),
        Optional.empty()).credentials()).hasMessageContaining("--tls-cert-file")
        .hasMessageContaining(certs.serverKey.toString());
  }
}
