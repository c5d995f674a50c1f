package dev.legitscaler.scaler.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.BackendDeniedException;
import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.grpc.ScalerServer;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.testing.CredentialRecordingListener;
import dev.legitscaler.scaler.watch.Registry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server credentials (the Kafka SASL password, the Prometheus bearer token) reach only the backends the
 * operator declared, for the namespaces allowed to use them; each case is proven by what a
 * {@link CredentialRecordingListener} on the address actually received.
 */
@Timeout(120)
class ServerCredentialsTest {
  private static final String PASSWORD = "operator-sasl-password-7f3a";
  private static final String TOKEN = "operator-bearer-token-91c2";
  private static final Map<String, String> SASL = Map.of(
      "security.protocol", "SASL_PLAINTEXT",
      "sasl.mechanism", "PLAIN",
      "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"scaler\""
          + " password=\"" + PASSWORD + "\";");

  @TempDir
  Path dir;
  CredentialRecordingListener declaredKafka;
  CredentialRecordingListener rogueKafka;
  CredentialRecordingListener declaredHttp;
  CredentialRecordingListener rogueHttp;
  Path tokenFile;

  @BeforeEach
  void listen() throws Exception {
    declaredKafka = CredentialRecordingListener.kafka();
    rogueKafka = CredentialRecordingListener.kafka();
    declaredHttp = CredentialRecordingListener.http();
    rogueHttp = CredentialRecordingListener.http();
    tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    declaredKafka.close();
    rogueKafka.close();
    declaredHttp.close();
    rogueHttp.close();
  }

  private ServerDefaults defaults(boolean allowUndeclared) {
    Backends b = new Backends(
        List.of(new Backends.Prometheus("metrics", declaredHttp.address(), Optional.of(tokenFile), Set.of("team-a"),
            true)),
        List.of(new Backends.Kafka("events", List.of(declaredKafka.address()), SASL, Set.of("team-a"), true)),
        allowUndeclared);
    ServerDefaults d = ServerDefaults.none();
    return new ServerDefaults(Optional.empty(), Optional.empty(), d.prometheusTimeout(), Optional.empty(), Map.of(),
        d.refreshInterval(), d.staleAfter(), d.watchIdleExpiry(), b);
  }

  private static Metadata lagTo(String servers) {
    return new Metadata(Map.of("bootstrapServers", servers, "consumerGroup", "g", "topic", "t"));
  }

  @Test
  void theSaslPasswordGoesToTheDeclaredClusterOnly() throws Exception {
    try (BackendSignalFactory f = new BackendSignalFactory(defaults(true), Clock.systemUTC())) {
      // control: the declared cluster does receive the password, so the listener would see a leak
      fetchOnce(f.lag(lagTo(declaredKafka.address()), "team-a", "so").orElseThrow().opener().get(),
          () -> declaredKafka.kafkaBytesReceived().contains(PASSWORD));
      assertThat(declaredKafka.kafkaBytesReceived()).contains(PASSWORD);

      // an address no backend declares, with the operator's opt-in: reached, but in plaintext
      fetchOnce(f.lag(lagTo(rogueKafka.address()), "team-a", "so").orElseThrow().opener().get(),
          () -> rogueKafka.kafkaRequests() >= 2);
      assertThat(rogueKafka.kafkaRequests()).isGreaterThanOrEqualTo(2);
      assertThat(rogueKafka.kafkaBytesReceived()).doesNotContain(PASSWORD).doesNotContain("PLAIN");
    }
  }

  @Test
  void theLegitimacyConsumerSendsNoPasswordToAnUndeclaredCluster() throws Exception {
    try (BackendSignalFactory f = new BackendSignalFactory(defaults(true), Clock.systemUTC())) {
      Metadata md = new Metadata(Map.of("bootstrapServers", declaredKafka.address(), "consumerGroup", "g",
          "topic", "t", "legitimacySource", "kafka", "legitimacyBootstrapServers", rogueKafka.address()));
      try (SignalSource<?> s = f.legitimacy(LegitimacySourceKind.KAFKA, md, "team-a", "so").opener().get()) {
        await("the scorer's consumer to reach the rogue listener", () -> rogueKafka.kafkaRequests() >= 2);
      }
      assertThat(rogueKafka.kafkaBytesReceived()).doesNotContain(PASSWORD).doesNotContain("PLAIN");
    }
  }

  @Test
  void withoutTheOptInAnUndeclaredClusterIsRefusedBeforeAnyConnection() throws Exception {
    try (BackendSignalFactory f = new BackendSignalFactory(defaults(false), Clock.systemUTC())) {
      assertThatThrownBy(() -> f.lag(lagTo(rogueKafka.address()), "team-a", "so"))
          .isInstanceOf(BackendDeniedException.class)
          .hasMessageContaining("'bootstrapServers'").hasMessageContaining(rogueKafka.address())
          .hasMessageContaining("events (" + declaredKafka.address() + ")").hasMessageContaining("kafkaBackend")
          .hasMessageNotContaining(PASSWORD);
      // the cluster is declared, but not for this namespace
      assertThatThrownBy(() -> f.lag(lagTo(declaredKafka.address()), "team-b", "so"))
          .isInstanceOf(BackendDeniedException.class).hasMessageContaining("team-b");
      assertThatThrownBy(() -> f.lag(new Metadata(Map.of("kafkaBackend", "events", "consumerGroup", "g",
          "topic", "t")), "team-b", "so")).isInstanceOf(BackendDeniedException.class)
          .hasMessageContaining("'kafkaBackend'");
      // a trigger that names the declared cluster gets it, servers included
      assertThat(f.lag(new Metadata(Map.of("kafkaBackend", "events", "consumerGroup", "g", "topic", "t")), "team-a",
          "so").orElseThrow().settings()).containsEntry("bootstrapServers", declaredKafka.address());
    }
    assertThat(rogueKafka.kafkaRequests()).isZero();
  }

  @Test
  void theBearerTokenGoesToTheDeclaredPrometheusOnly() throws Exception {
    try (BackendSignalFactory f = new BackendSignalFactory(defaults(true), Clock.systemUTC())) {
      fetchOnce(f.load(load(declaredHttp.address()), "team-a", "so").orElseThrow().opener().get(),
          () -> !declaredHttp.httpRequests().isEmpty());
      assertThat(declaredHttp.authorizations()).containsOnly("Bearer " + TOKEN);

      fetchOnce(f.load(load(rogueHttp.address()), "team-a", "so").orElseThrow().opener().get(),
          () -> !rogueHttp.httpRequests().isEmpty());
      assertThat(rogueHttp.httpRequests()).isNotEmpty();
      assertThat(rogueHttp.authorizations()).isEmpty();
    }
    try (BackendSignalFactory f = new BackendSignalFactory(defaults(false), Clock.systemUTC())) {
      assertThatThrownBy(() -> f.load(load(rogueHttp.address()), "team-a", "so"))
          .isInstanceOf(BackendDeniedException.class).hasMessageContaining("'serverAddress'")
          .hasMessageContaining("metrics (" + declaredHttp.address() + ")");
      assertThatThrownBy(() -> f.load(load(declaredHttp.address()), "team-b", "so"))
          .isInstanceOf(BackendDeniedException.class);
    }
  }

  @Test
  void aTokenWithoutAPrometheusUrlIsSentNowhere() throws Exception {
    // the single-backend settings: a token file but no --prometheus-url (it used to go to any address)
    ServerDefaults d = ServerDefaults.none();
    ServerDefaults legacy = new ServerDefaults(Optional.empty(), Optional.of(tokenFile), d.prometheusTimeout(),
        Optional.empty(), SASL, d.refreshInterval(), d.staleAfter(), d.watchIdleExpiry());
    try (BackendSignalFactory f = new BackendSignalFactory(legacy, Clock.systemUTC())) {
      fetchOnce(f.load(load(rogueHttp.address()), "any", "so").orElseThrow().opener().get(),
          () -> !rogueHttp.httpRequests().isEmpty());
      assertThat(rogueHttp.authorizations()).isEmpty();
      fetchOnce(f.lag(lagTo(rogueKafka.address()), "any", "so").orElseThrow().opener().get(),
          () -> rogueKafka.kafkaRequests() >= 2);
      assertThat(rogueKafka.kafkaBytesReceived()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void theScalerAnswersPermissionDeniedNamingTheKeyAndTheAllowedBackends() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    ServerDefaults d = defaults(false);
    String name = InProcessServerBuilder.generateName();
    try (BackendSignalFactory f = new BackendSignalFactory(d, Clock.systemUTC());
        Registry registry = new Registry(d, f, scheduler, Clock.systemUTC(),
            new ScalerMetrics(new PrometheusRegistry()))) {
      ScalerServer server = new ScalerServer(InProcessServerBuilder.forName(name), registry,
          new ScalerMetrics(new PrometheusRegistry()), Clock.systemUTC(), Duration.ofSeconds(1),
          Executors.newCachedThreadPool()).start();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
      try {
        Map<String, String> md = new HashMap<>(Map.of("loadQuery", "up", "serverAddress", rogueHttp.address()));
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("team-a").setName("so")
            .putAllScalerMetadata(md).build();
        assertThatThrownBy(() -> ExternalScalerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS).getMetricSpec(ref))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("'serverAddress'", "prometheusBackend",
                  "metrics (" + declaredHttp.address() + ")");
            });
      } finally {
        channel.shutdownNow();
        server.shutdown(Duration.ofSeconds(5));
      }
    } finally {
      scheduler.shutdownNow();
    }
    assertThat(rogueHttp.httpRequests()).isEmpty();
  }

  private static Metadata load(String address) {
    return new Metadata(Map.of("loadQuery", "up", "serverAddress", address, "timeout", "2s"));
  }

  /** Opens the source, fetches until {@code done} (fetches may fail: the listener is no backend), closes. */
  private static void fetchOnce(SignalSource<?> source, BooleanSupplier done) throws Exception {
    try (source) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!done.getAsBoolean()) {
        try {
          source.fetch();
        } catch (Exception e) {
          // expected against a listener that stops after the handshake
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the listener received nothing");
        }
        Thread.sleep(50);
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
