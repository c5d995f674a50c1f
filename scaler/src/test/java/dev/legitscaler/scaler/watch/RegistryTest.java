package dev.legitscaler.scaler.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.MutableClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryTest {
  private final InMemorySignalFactory signals = new InMemorySignalFactory();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "registry-test-refresher");
    t.setDaemon(true);
    return t;
  });
  private final ScalerMetrics metrics = new ScalerMetrics(new PrometheusRegistry());
  private final ServerDefaults defaults = new ServerDefaults(java.util.Optional.empty(), java.util.Optional.empty(),
      Duration.ofSeconds(3), java.util.Optional.empty(), Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(60),
      Duration.ofMinutes(10));
  private final Registry registry = new Registry(defaults, signals, scheduler, clock, metrics);

  @AfterEach
  void tearDown() {
    registry.close();
    scheduler.shutdownNow();
  }

  private static Map<String, String> md() {
    return Map.of("loadQuery", "q", "topic", "t", "legitimacySource", "kafka", "refreshInterval", "10m",
        "staleAfter", "20m");
  }

  @Test
  void sameTriggerIsOneWatchAndOtherMetadataAnother() {
    Watch a = registry.watch("ml", "model", md());
    assertThat(registry.watch("ml", "model", md())).isSameAs(a);
    Watch b = registry.watch("ml", "model", Map.of("loadQuery", "other"));
    assertThat(b).isNotSameAs(a);
    assertThat(b.config().metricName()).isNotEqualTo(a.config().metricName());
    assertThat(registry.find("ml", "model")).hasSize(2);
  }

  @Test
  void hundredsOfScaledObjectsExpireAndReleaseTheirSourcesAndSeries() throws Exception {
    int n = 300;
    for (int i = 0; i < n; i++) {
      signals.setLoad("ns" + i, "so", 0.7);
      signals.setLag("ns" + i, "so", 5, true);
      signals.setLegitimacy("ns" + i, "so", LegitimacyReading.allLegitimate());
      registry.watch("ns" + i, "so", md());
    }
    assertThat(registry.size()).isEqualTo(n);
    for (Watch w : registry.all()) {
      w.firstSnapshot().join();
    }
    assertThat(signals.opened.get()).isEqualTo(3 * n);
    assertThat(scrape()).contains("namespace=\"ns17\"");
    assertThat(threadsNamed("registry-test-refresher")).isLessThanOrEqualTo(2); // the shared pool, not a thread per watch

    // one ScaledObject keeps being asked about; the others go quiet
    clock.advance(Duration.ofMinutes(6));
    registry.watch("ns0", "so", md());
    clock.advance(Duration.ofMinutes(6));
    assertThat(registry.expireIdle()).isEqualTo(n - 1);
    assertThat(registry.size()).isEqualTo(1);
    assertThat(signals.closed.get()).isEqualTo(3 * (n - 1));
    String text = scrape();
    assertThat(text).doesNotContain("namespace=\"ns17\"").contains("namespace=\"ns0\"");
    assertThat(text).contains("legitscaler_watches 1.0");

    // an expired watch does no more I/O
    int fetches = signals.fetches.get();
    for (Watch w : registry.all()) {
      w.refreshNow();
    }
    assertThat(signals.fetches.get()).isEqualTo(fetches + 3);
  }

  @Test
  void aWatchWithAnOpenStreamDoesNotExpire() throws Exception {
    signals.setLoad("ml", "model", 0.7);
    Watch w = registry.watch("ml", "model", Map.of("loadQuery", "q"));
    AutoCloseable sub = w.subscribe(s -> { });
    clock.advance(Duration.ofHours(1));
    assertThat(registry.expireIdle()).isZero();
    sub.close(); // closing the stream counts as the last access
    clock.advance(Duration.ofMinutes(11));
    assertThat(registry.expireIdle()).isEqualTo(1);
    assertThat(w.closed()).isTrue();
  }

  @Test
  void failingSourcesAreCountedAsUpstreamErrors() throws Exception {
    signals.setLoad("ml", "model", 0.7);
    signals.fail("lag", "ml", "model", "unknown_topic");
    Watch w = registry.watch("ml", "model", Map.of("loadQuery", "q", "topic", "t"));
    w.firstSnapshot().join();
    Snapshot s = w.current().orElseThrow();
    assertThat(s.result().state()).isEqualTo("partial");
    assertThat(s.lag().lastErrorCategory()).contains("unknown_topic");
    assertThat(scrape()).contains("legitscaler_upstream_errors_total{cause=\"unknown_topic\",source=\"kafka\"}");
  }

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
  }
}
