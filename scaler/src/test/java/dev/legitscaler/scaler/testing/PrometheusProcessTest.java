package dev.legitscaler.scaler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.prometheus.LoadConfig;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;
import dev.legitscaler.scaler.signal.prometheus.PrometheusLoadSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself, and what the sources do when the real server goes away and comes back. */
class PrometheusProcessTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void stoppedPrometheusIsAConnectFailureAndRestartOnTheSamePortRecovers(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: test
            rules:
              - record: instance:ml_model_saturation_ratio:doubled
                expr: 2 * ml_model_saturation_ratio
        """);
    try (GaugeExporter model = GaugeExporter.start().set("ml_model_saturation_ratio", 0.3);
         PrometheusProcess prometheus = PrometheusProcess.builder()
             .scrapeJob("model", List.of(model.target())).ruleFiles(List.of(rules)).start();
         PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none())) {
      // A timeout far longer than the test's patience: a stopped server must fail as "connect" at once,
      // not wait for it.
      LoadConfig config = LoadConfig.parse(new Metadata(Map.of(
          "serverAddress", prometheus.baseUrl(), "timeout", "2m",
          "loadQuery", "instance:ml_model_saturation_ratio:doubled")), ServerDefaults.none(), "ns", "so").orElseThrow();
      try (PrometheusLoadSource source = new PrometheusLoadSource(config, pool)) {
        LoadReading before = Eventually.until(WAIT, "the recording rule's value", source::fetch,
            r -> r.instances().size() == 1 && r.instances().get(0).load() == 0.6);
        assertThat(before.instances().get(0).instance()).isEqualTo(model.target());

        String baseUrl = prometheus.baseUrl();
        prometheus.stop();
        assertThat(prometheus.isRunning()).isFalse();
        assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
          assertThat(e.category()).isEqualTo("connect");
          assertThat(e.getMessage()).contains(baseUrl);
        });

        model.set("ml_model_saturation_ratio", 0.45);
        prometheus.restart();
        assertThat(prometheus.baseUrl()).isEqualTo(baseUrl);
        Eventually.until(WAIT, "the new value after restart", source::fetch,
            r -> r.instances().size() == 1 && r.instances().get(0).load() == 0.9);
      }
    }
  }

  @Test
  void reloadPicksUpARewrittenConfig() {
    try (GaugeExporter a = GaugeExporter.start().set("up_probe", 1);
         GaugeExporter b = GaugeExporter.start().set("up_probe", 2);
         PrometheusProcess prometheus = PrometheusProcess.start(a.target())) {
      prometheus.awaitSeries("up_probe", 1, WAIT);
      String rewritten = PrometheusProcess.builder().scrapeJob("test", List.of(a.target(), b.target())).config();
      try {
        Files.writeString(prometheus.configFile(), rewritten);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      prometheus.reload();
      prometheus.awaitSeries("up_probe", 2, WAIT);
    }
  }

  @Test
  void missingBinaryFailsSayingHowToInstallIt(@TempDir Path emptyDir) {
    assertThatThrownBy(() -> PrometheusProcess.findBinary(Map.of("PATH", emptyDir.toString())))
        .hasMessageContaining("make tools");
    assertThat(PrometheusProcess.findBinary(System.getenv())).isExecutable();
  }
}
