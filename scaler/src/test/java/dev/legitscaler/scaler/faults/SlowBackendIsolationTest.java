package dev.legitscaler.scaler.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.HttpAddress;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import dev.legitscaler.scaler.tls.TlsFiles;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.Watch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A dead declared backend must delay only the triggers that use it, however many namespaces use it:
 * six namespaces, one trigger each (so the per-namespace bulkhead never engages), point at the declared
 * Prometheus "slow", a fault-injecting server that answers only after two minutes; another namespace's
 * trigger uses the declared Prometheus "healthy", a real one, and must keep getting fresh values on the
 * same four refresh threads. Without a per-backend limit the six hanging calls take all four threads.
 */
class SlowBackendIsolationTest {
  private static final Pattern SKIPPED =
      Pattern.compile("(?m)^legitscaler_backend_calls_skipped_total\\{signal=\"load\"} (\\S+)$");

  @Test
  void aDeadBackendUsedByManyNamespacesHoldsAtMostItsShareOfRefreshThreads() throws Exception {
    try (GaugeExporter model = GaugeExporter.start().set("ml_model_saturation_ratio", 0.4);
         PrometheusProcess prometheus = PrometheusProcess.start(model.target());
         FaultyPrometheusFixture hanging = FaultyPrometheusFixture.start()
             .answer(FaultyPrometheusFixture.Answer.json(200, FaultyPrometheusFixture.vector(
                 new String[] {"{\"pod\":\"p\"}", "0.5"})).after(Duration.ofMinutes(2)))) {
      prometheus.awaitSeries("ml_model_saturation_ratio", 1, Duration.ofSeconds(60));
      Backends declared = new Backends(List.of(
          new Backends.Prometheus("slow", HttpAddress.normalize("url", hanging.baseUrl()), Optional.empty(),
              Set.of(Backends.ALL_NAMESPACES), false),
          new Backends.Prometheus("healthy", HttpAddress.normalize("url", prometheus.baseUrl()), Optional.empty(),
              Set.of(Backends.ALL_NAMESPACES), false)), List.of(), false);
      ServerDefaults none = ServerDefaults.none();
      ServerDefaults defaults = new ServerDefaults(Optional.empty(), Optional.empty(), none.prometheusTimeout(),
          Optional.empty(), Map.of(), none.refreshInterval(), none.staleAfter(), none.watchIdleExpiry(), declared);
      // 2-minute timeouts allowed, so only the per-backend limit (default 2) can free the threads
      ServerLimits limits = ServerLimits.defaults().withMaxUpstreamTimeout(Duration.ofMinutes(2));
      BackendSignalFactory signals = new BackendSignalFactory(defaults, limits, Clock.systemUTC());
      ScalerApp app = ScalerApp.start(new ScalerApp.Settings(0, 0, defaults, TlsFiles.plaintext(), 4,
          Duration.ofSeconds(2), limits), signals, signals, Clock.systemUTC());
      try {
        for (int i = 0; i < 6; i++) {
          app.registry().watch("tenant-" + i, "so", Map.of("prometheusBackend", "slow",
              "loadQuery", "ml_model_saturation_ratio", "timeout", "2m", "refreshInterval", "500ms",
              "staleAfter", "10s"));
        }
        Thread.sleep(1000); // the slow backend's calls are now hanging inside their HTTP requests
        Watch b = app.registry().watch("tenant-b", "model", Map.of("prometheusBackend", "healthy",
            "loadQuery", "ml_model_saturation_ratio", "refreshInterval", "500ms", "staleAfter", "10s"));
        Set<Instant> readings = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readings.size() < 5 && System.nanoTime() < deadline) {
          Snapshot s = b.latest();
          if (s != null && s.result().available()) {
            readings.add(s.newestDemandReadingAtOrNull());
          }
          Thread.sleep(100);
        }
        assertThat(readings).as("fresh readings from the healthy backend while the slow one hangs")
            .hasSizeGreaterThanOrEqualTo(5);
        assertThat(b.latest().result().value()).isPositive();
        assertThat(skippedLoadCalls(app.metricsPort())).as("calls to the slow backend skipped, on /metrics")
            .isPositive();
      } finally {
        app.stop(Duration.ofSeconds(1));
      }
    }
  }

  private static double skippedLoadCalls(int metricsPort) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = SKIPPED.matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
