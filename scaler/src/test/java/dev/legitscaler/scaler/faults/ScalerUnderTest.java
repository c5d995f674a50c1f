package dev.legitscaler.scaler.faults;

import dev.legitscaler.proto.diagnostics.v1.DiagnosticsGrpc;
import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import dev.legitscaler.scaler.tls.TlsFiles;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.Watch;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production wiring (ScalerApp over a BackendSignalFactory with the real Prometheus and Kafka
 * client pools) on loopback, plus a client that calls it the way KEDA does: GetMetricSpec, then
 * GetMetrics for the spec's metric name. Also reads Explain, Health and the real /metrics endpoint.
 */
final class ScalerUnderTest implements AutoCloseable {
  static final String NAMESPACE = "ml";
  /** Per-call deadline of the client, like the metrics adapter's ~3 s (a bit more for a busy machine). */
  private static final long DEADLINE_SECONDS = 10;

  /** One GetMetrics answer: OK with a value, or the status code of the failure. */
  record Answer(Status.Code code, long value, String description) {
    boolean ok() {
      return code == Status.Code.OK;
    }
  }

  final BackendSignalFactory signals;
  final ScalerApp app;
  private final ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  private ScalerUnderTest(BackendSignalFactory signals, ScalerApp app, ManagedChannel channel) {
    this.signals = signals;
    this.app = app;
    this.channel = channel;
  }

  static ScalerUnderTest start(ServerDefaults defaults) throws Exception {
    BackendSignalFactory signals = new BackendSignalFactory(defaults, Clock.systemUTC());
    ScalerApp app = ScalerApp.start(new ScalerApp.Settings(0, 0, defaults, TlsFiles.plaintext(), 2,
        Duration.ofSeconds(5)), signals, signals, Clock.systemUTC());
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", app.grpcPort(),
        InsecureChannelCredentials.create()).build();
    return new ScalerUnderTest(signals, app, ch);
  }

  /** Server defaults for fault tests: short refresh and staleness so a fault plays out in seconds. */
  static ServerDefaults defaults(Duration refreshInterval, Duration staleAfter) {
    return defaults(refreshInterval, staleAfter, Duration.ofMinutes(10));
  }

  static ServerDefaults defaults(Duration refreshInterval, Duration staleAfter, Duration watchIdleExpiry) {
    return new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofMillis(500), Optional.empty(), Map.of(),
        refreshInterval, staleAfter, watchIdleExpiry);
  }

  static ScaledObjectRef ref(String name, Map<String, String> metadata) {
    return ScaledObjectRef.newBuilder().setNamespace(NAMESPACE).setName(name).putAllScalerMetadata(metadata).build();
  }

  private ExternalScalerGrpc.ExternalScalerBlockingStub scaler() {
    return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** GetMetricSpec's metric name (throws on any failure: it must always answer). */
  String metricName(ScaledObjectRef ref) {
    return scaler().getMetricSpec(ref).getMetricSpecs(0).getMetricName();
  }

  /** KEDA's pair: GetMetricSpec (must answer), then GetMetrics for that name. */
  Answer poll(ScaledObjectRef ref) {
    String metric = metricName(ref);
    try {
      GetMetricsResponse r = scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
          .setMetricName(metric).build());
      if (r.getMetricValuesCount() != 1) {
        throw new AssertionError("expected exactly one metric value, got " + r);
      }
      return new Answer(Status.Code.OK, r.getMetricValues(0).getMetricValue(), "");
    } catch (StatusRuntimeException e) {
      return new Answer(e.getStatus().getCode(), -1, String.valueOf(e.getStatus().getDescription()));
    }
  }

  Explanation explain(ScaledObjectRef ref) {
    return DiagnosticsGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .explain(ref);
  }

  ServingStatus health() {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  /** The one Watch of {@code ref} (it exists once KEDA asked about it). */
  Watch watch(ScaledObjectRef ref) {
    List<Watch> ws = app.registry().find(ref.getNamespace(), ref.getName());
    if (ws.size() != 1) {
      throw new AssertionError("expected one watch for " + ref.getName() + ", got " + ws.size());
    }
    return ws.get(0);
  }

  /**
   * The second snapshot published after {@code t}. Refreshes of one Watch never overlap (fixed delay):
   * the first one after {@code t} may have started before it, the second one started after it. So if
   * the upstream answered well at {@code t}, this is "the first refresh after the upstream came back".
   */
  Snapshot secondSnapshotAfter(Watch w, Instant t, Duration timeout) throws Exception {
    BlockingQueue<Snapshot> seen = new LinkedBlockingQueue<>();
    try (AutoCloseable sub = w.subscribe(seen::add)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      int after = 0;
      while (System.nanoTime() < deadline) {
        Snapshot s = seen.poll(100, TimeUnit.MILLISECONDS);
        if (s != null && s.decidedAt().isAfter(t) && ++after == 2) {
          return s;
        }
      }
    }
    throw new AssertionError("no second refresh after " + t + " within " + timeout);
  }

  /** The text of the real /metrics endpoint. */
  String scrape() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort()
        + "/metrics")).timeout(Duration.ofSeconds(DEADLINE_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /** The value of one exact series line (name + labels as written, e.g. {@code x{a="b"}}), 0 if absent. */
  static double series(String text, String nameAndLabels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels) + " (\\S+)").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    app.stop(Duration.ofSeconds(2));
  }
}
