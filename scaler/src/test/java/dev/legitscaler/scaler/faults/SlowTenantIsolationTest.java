package dev.legitscaler.scaler.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import dev.legitscaler.scaler.tls.TlsFiles;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One tenant's hanging backend must not starve the others: tenant A points six triggers at a
 * fault-injecting Prometheus that answers only after two minutes (with a 2-minute timeout, the most an
 * operator may allow); tenant B's trigger on a real Prometheus keeps getting fresh values on the
 * same four refresh threads.
 */
class SlowTenantIsolationTest {
  @Test
  void aHangingBackendOfOneNamespaceOnlyDelaysThatNamespace() throws Exception {
    try (GaugeExporter model = GaugeExporter.start().set("ml_model_saturation_ratio", 0.4);
         PrometheusProcess prometheus = PrometheusProcess.start(model.target());
         FaultyPrometheusFixture hanging = FaultyPrometheusFixture.start()
             .answer(FaultyPrometheusFixture.Answer.json(200, FaultyPrometheusFixture.vector(
                 new String[] {"{\"pod\":\"p\"}", "0.5"})).after(Duration.ofMinutes(2)))) {
      prometheus.awaitSeries("ml_model_saturation_ratio", 1, Duration.ofSeconds(60));
      // the operator allows 2-minute timeouts here: the namespace bulkhead alone must hold
      ServerLimits limits = ServerLimits.defaults().withMaxUpstreamTimeout(Duration.ofMinutes(2));
      BackendSignalFactory signals = new BackendSignalFactory(ServerDefaults.none(), limits, Clock.systemUTC());
      ScalerApp app = ScalerApp.start(new ScalerApp.Settings(0, 0, ServerDefaults.none(), TlsFiles.plaintext(), 4,
          Duration.ofSeconds(2), limits), signals, signals, Clock.systemUTC());
      try {
        for (int i = 0; i < 6; i++) {
          app.registry().watch("tenant-a", "so-" + i, Map.of("serverAddress", hanging.baseUrl(),
              "loadQuery", "ml_model_saturation_ratio", "timeout", "2m", "refreshInterval", "500ms",
              "staleAfter", "10s"));
        }
        Thread.sleep(1000); // A's refreshes are now hanging inside their HTTP calls
        Watch b = app.registry().watch("tenant-b", "model", Map.of("serverAddress", prometheus.baseUrl(),
            "loadQuery", "ml_model_saturation_ratio", "refreshInterval", "500ms", "staleAfter", "10s"));
        // B must keep refreshing: distinct successful readings, not one.
        Set<Instant> readings = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readings.size() < 5 && System.nanoTime() < deadline) {
          Snapshot s = b.latest();
          if (s != null && s.result().available()) {
            readings.add(s.newestDemandReadingAtOrNull());
          }
          Thread.sleep(100);
        }
        assertThat(readings).as("fresh readings of tenant B while tenant A's backend hangs").hasSizeGreaterThanOrEqualTo(5);
        assertThat(b.latest().result().value()).isPositive();
      } finally {
        app.stop(Duration.ofSeconds(1));
      }
    }
  }
}
