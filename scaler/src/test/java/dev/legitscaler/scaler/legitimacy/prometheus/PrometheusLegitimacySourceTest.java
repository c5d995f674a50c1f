package dev.legitscaler.scaler.legitimacy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;
import dev.legitscaler.scaler.testing.Eventually;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ratio legitimacy source against a REAL Prometheus scraping a gateway-like exporter. */
class PrometheusLegitimacySourceTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String RPS = "gateway_requests_per_second";
  static final String SHARE_QUERY = "sum(" + RPS + "{verdict=\"ok\",namespace=\"$namespace\"})"
      + " / sum(" + RPS + "{namespace=\"$namespace\"})";

  static GaugeExporter gateway;
  static PrometheusProcess prometheus;
  static PrometheusClientPool pool;

  @BeforeAll
  static void start() {
    gateway = GaugeExporter.start();
    setTraffic("team-a", 0, 0);
    setTraffic("team-b", 0, 0);
    prometheus = PrometheusProcess.builder().scrapeJob("gateway", List.of(gateway.target())).start();
    pool = new PrometheusClientPool(ServerDefaults.none());
    prometheus.awaitSeries(RPS, 4, WAIT);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  static void setTraffic(String namespace, double ok, double blocked) {
    gateway.set(RPS, Map.of("namespace", namespace, "verdict", "ok"), ok);
    gateway.set(RPS, Map.of("namespace", namespace, "verdict", "blocked"), blocked);
  }

  static LegitimacyQueryConfig config(String namespace, String... pairs) {
    Map<String, String> md = new HashMap<>(Map.of("legitimacySource", "prometheus",
        "legitimacyQuery", SHARE_QUERY, "serverAddress", prometheus.baseUrl(), "timeout", "30s"));
    for (int i = 0; i < pairs.length; i += 2) {
      md.put(pairs[i], pairs[i + 1]);
    }
    return LegitimacyQueryConfig.parse(new Metadata(md), ServerDefaults.none(), namespace, "model");
  }

  /** legit rps, blocked rps, attackBelow, expected score, attack. */
  static Stream<Arguments> traffic() {
    return Stream.of(
        Arguments.of(300.0, 0.0, "0.5", 1.0, false),
        Arguments.of(300.0, 100.0, "0.5", 0.75, false),
        Arguments.of(300.0, 1500.0, "0.5", 1.0 / 6, true),
        Arguments.of(300.0, 300.0, "0.5", 0.5, false), // at the threshold is not below it
        Arguments.of(300.0, 100.0, "0.8", 0.75, true),
        Arguments.of(0.0, 50.0, "0", 0.0, false));
  }

  @ParameterizedTest(name = "ok={0} blocked={1} attackBelow={2}")
  @MethodSource("traffic")
  void ratioQueryBecomesScoreAndAttackFlag(double ok, double blocked, String attackBelow, double score,
      boolean attack) {
    setTraffic("team-a", ok, blocked);
    setTraffic("team-b", 10, 990); // another tenant under attack must not leak into team-a's score
    try (PrometheusLegitimacySource source =
             new PrometheusLegitimacySource(config("team-a", "legitimacyAttackBelow", attackBelow), pool)) {
      LegitimacyReading r = Eventually.until(WAIT, "score " + score, source::fetch,
          x -> Math.abs(x.score() - score) < 1e-9);
      assertThat(r.attack()).isEqualTo(attack);
      assertThat(r.reasons()).isEqualTo(attack ? List.of("PROMETHEUS_RATIO_LOW") : List.of());
      assertThat(r.signals()).containsOnlyKeys("ratio");
      assertThat(r.signals().get("ratio")).isCloseTo(score, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.unscoredShare()).isZero();
    }
  }

  /** query, expected category: what a badly written or idle ratio query produces. */
  static Stream<Arguments> unusableAnswers() {
    return Stream.of(
        Arguments.of(RPS + "{namespace=\"$namespace\"}", "bad_response"),  // forgot to aggregate
        Arguments.of("sum(" + RPS + "{namespace=\"nobody\"})", "empty_result"),
        Arguments.of("sum(" + RPS + "{namespace=\"$namespace\"}) * 0 / 0", "empty_result"), // 0/0 = NaN
        Arguments.of("sum by (", "prometheus_error"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("unusableAnswers")
  void unusableAnswerIsAFailureNotAGuess(String query, String category) {
    try (PrometheusLegitimacySource source =
             new PrometheusLegitimacySource(config("team-a", "legitimacyQuery", query), pool)) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class,
          e -> assertThat(e.category()).isEqualTo(category));
    }
  }

  @Test
  void ratioAboveOneIsClampedButReportedAsIs() {
    setTraffic("team-a", 300, 0);
    try (PrometheusLegitimacySource source = new PrometheusLegitimacySource(
        config("team-a", "legitimacyQuery", "2 * " + SHARE_QUERY), pool)) {
      LegitimacyReading r = Eventually.until(WAIT, "ratio 2", source::fetch,
          x -> x.signals().get("ratio") == 2.0);
      assertThat(r.score()).isEqualTo(1.0);
      assertThat(r.attack()).isFalse();
    }
  }
}
