package dev.legitscaler.scaler.faults;

import static dev.legitscaler.scaler.faults.ScalerUnderTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.faults.ScalerUnderTest.Answer;
import dev.legitscaler.scaler.testing.Eventually;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import dev.legitscaler.scaler.watch.Snapshot;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole server against a real Prometheus (scraping a real exporter) and a real Kafka broker, while
 * Prometheus is stopped and restarted; and against {@link FaultyPrometheusFixture}, the one fake, for
 * the faults a real Prometheus does not produce on demand (too slow, garbage). Timeouts are generous
 * bounds for a busy machine; what is asserted is behaviour and order, never speed.
 */
class PrometheusFaultServerTest {
  static final Duration REFRESH = Duration.ofMillis(500);
  static final Duration STALE_AFTER = Duration.ofSeconds(5);
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String LOAD = "ml_model_saturation_ratio";

  @RegisterExtension
  static final KafkaTestBroker kafka = new KafkaTestBroker();

  static GaugeExporter model;
  static ScalerUnderTest scaler;

  @BeforeAll
  static void startScaler() throws Exception {
    model = GaugeExporter.start();
    scaler = ScalerUnderTest.start(ScalerUnderTest.defaults(REFRESH, STALE_AFTER));
  }

  @AfterAll
  static void stopScaler() throws Exception {
    if (scaler != null) {
      scaler.close();
    }
    if (model != null) {
      model.close();
    }
  }

  /** Five instances at {@code load}: D_load = 5 × load / 0.7. */
  static void setLoad(double load) {
    for (int i = 1; i <= 5; i++) {
      model.set(LOAD, Map.of("pod", "model-" + i), load);
    }
  }

  @Test
  void prometheusStoppedHoldsTheValueGoesUnavailableAfterStaleAfterAndRecoversOnRestart() throws Exception {
    kafka.createTopic("requests", 1);
    kafka.produce("requests", 0, 20);
    kafka.commit("model-group", "requests", 0, 0); // lag 20, lagThreshold 10: D_lag = 2
    setLoad(0.7); // D_load = 5
    try (PrometheusProcess prom = PrometheusProcess.start(model.target())) {
      prom.awaitSeries(LOAD, 5, WAIT);
      Map<String, String> loadKeys = Map.of("serverAddress", prom.baseUrl(), "loadQuery", LOAD,
          "refreshInterval", "500ms", "staleAfter", "5s");
      ScaledObjectRef loadOnly = ScalerUnderTest.ref("load-only", loadKeys);
      Map<String, String> both = new java.util.HashMap<>(loadKeys);
      both.putAll(Map.of("bootstrapServers", kafka.bootstrapServers(), "consumerGroup", "model-group",
          "topic", "requests", "lagThreshold", "10", "allowIdleConsumers", "true"));
      ScaledObjectRef loadAndLag = ScalerUnderTest.ref("load-and-lag", both);

      assertThat(awaitValue(loadOnly, 5).value()).isEqualTo(5);
      assertThat(awaitValue(loadAndLag, 5).value()).isEqualTo(5);
      String before = scaler.scrape();

      prom.stop();
      // The refresher sees the failure; the last good value is still served while it is younger than
      // staleAfter (the failure is seen one refresh after the last good reading, staleAfter is 10 of them).
      Eventually.until(WAIT, "the load fetch fails", () -> scaler.explain(loadOnly),
          e -> e.getLoad().getStatus().getConsecutiveFailures() > 0);
      assertThat(scaler.poll(loadOnly)).as("held while younger than staleAfter").isEqualTo(ok(5));

      // Load only: UNAVAILABLE once the reading is older than staleAfter; never any other value.
      List<Answer> answers = pollUntil(loadOnly, a -> a.code() == Status.Code.UNAVAILABLE);
      assertThat(answers).allSatisfy(a -> assertThat(a.ok() ? a.value() : -1L).isIn(5L, -1L));
      assertThat(answers.get(answers.size() - 1).description()).contains("ml/load-only");
      assertThat(scaler.metricName(loadOnly)).as("GetMetricSpec keeps answering").startsWith("legitscaler-ml-");
      Explanation stale = scaler.explain(loadOnly);
      assertThat(stale.getState()).isEqualTo("stale");
      assertThat(stale.getLoad().getStatus().getFresh()).isFalse();
      assertThat(stale.getLoad().getStatus().getLastErrorCategory()).isEqualTo("connect");
      assertThat(stale.getLoad().getStatus().getLastError()).contains(prom.baseUrl().replace("http://", ""));

      // Load + lag: a failing load reading younger than staleAfter still counts; once it is stale, the
      // decision runs on the fresh lag alone (D_lag = 2) and partial data never lowers the published 5.
      List<Answer> partialAnswers = new ArrayList<>();
      Explanation partial = Eventually.until(WAIT, "the load term is stale", () -> {
        partialAnswers.add(scaler.poll(loadAndLag));
        return scaler.explain(loadAndLag);
      }, e -> e.getDecision().getHeldByPartialData());
      for (int i = 0; i < 5; i++) {
        partialAnswers.add(scaler.poll(loadAndLag));
      }
      assertThat(partialAnswers).as("partial data never lowers, never unavailable while lag is fresh")
          .containsOnly(ok(5));
      assertThat(partial.getLag().getDemand()).isEqualTo(2.0);
      assertThat(partial.getLag().getStatus().getFresh()).isTrue();
      assertThat(partial.getLoad().getStatus().getLastErrorCategory()).isEqualTo("connect");

      assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
      String during = scaler.scrape();
      assertThat(series(during, "legitscaler_upstream_errors_total{cause=\"connect\",source=\"prometheus\"}"))
          .isGreaterThan(series(before, "legitscaler_upstream_errors_total{cause=\"connect\",source=\"prometheus\"}"));
      assertThat(series(during, "legitscaler_upstream_request_duration_seconds_count{source=\"prometheus\"}"))
          .isGreaterThan(series(before, "legitscaler_upstream_request_duration_seconds_count{source=\"prometheus\"}"));
      assertThat(series(during, "legitscaler_signal_stale{metric=\"" + scaler.metricName(loadOnly)
          + "\",namespace=\"ml\",scaled_object=\"load-only\",signal=\"load\"}"))
          .isEqualTo(1);
      assertThat(during).doesNotContain("legitscaler_published_value{metric=\"" + scaler.metricName(loadOnly));

      // Back, with new data (D_load = 6): the first refresh that starts after Prometheus answers again
      // serves the new value.
      setLoad(0.84);
      prom.restart();
      prom.awaitResult(LOAD, r -> r.size() == 5 && allValues(r, "0.84"), WAIT, "new load scraped");
      Instant back = Instant.now();
      Snapshot recovered = scaler.secondSnapshotAfter(scaler.watch(loadOnly), back, WAIT);
      assertThat(recovered.input().load()).isInstanceOf(SignalState.Fresh.class);
      assertThat(recovered.result().value()).isEqualTo(6);
      assertThat(scaler.poll(loadOnly)).isEqualTo(ok(6));
      assertThat(awaitValue(loadAndLag, 6).value()).isEqualTo(6);
      assertThat(scaler.explain(loadOnly).getState()).isEqualTo("fresh");
      assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void slowBeyondTimeoutAndGarbageAnswersHoldThenUnavailableThenRecover() throws Exception {
    try (FaultyPrometheusFixture faulty = FaultyPrometheusFixture.start()) {
      faulty.answer(FaultyPrometheusFixture.Answer.json(200, fiveAt("0.7")));
      ScaledObjectRef ref = ScalerUnderTest.ref("faulty", Map.of("serverAddress", faulty.baseUrl(),
          "loadQuery", LOAD, "timeout", "300ms", "refreshInterval", "500ms", "staleAfter", "5s"));
      assertThat(awaitValue(ref, 5).value()).isEqualTo(5);

      record Fault(String name, FaultyPrometheusFixture.Answer answer, String category, String good, long value) {}
      List<Fault> faults = List.of(
          new Fault("slow beyond timeout", FaultyPrometheusFixture.Answer.json(200, fiveAt("0.7"))
              .after(Duration.ofSeconds(3)), "timeout", "0.84", 6),
          new Fault("garbage", FaultyPrometheusFixture.Answer.text(200, "<html>this is not Prometheus</html>"),
              "bad_response", "0.7", 5),
          new Fault("headers then a stalled body", FaultyPrometheusFixture.Answer.json(200, fiveAt("0.7"))
              .stallingBody(Duration.ofSeconds(3)), "timeout", "0.84", 6));
      long held = 5;
      for (Fault f : faults) {
        String before = scaler.scrape();
        faulty.answer(f.answer());
        Eventually.until(WAIT, f.name() + ": the load fetch fails", () -> scaler.explain(ref),
            e -> e.getLoad().getStatus().getConsecutiveFailures() > 0);
        long expected = held;
        List<Answer> answers = pollUntil(ref, a -> a.code() == Status.Code.UNAVAILABLE);
        assertThat(answers).as(f.name()).allSatisfy(a -> assertThat(a.ok() ? a.value() : -1L).isIn(expected, -1L));
        Explanation e = scaler.explain(ref);
        assertThat(e.getState()).as(f.name()).isEqualTo("stale");
        assertThat(e.getLoad().getStatus().getLastErrorCategory()).as(f.name()).isEqualTo(f.category());
        assertThat(scaler.metricName(ref)).startsWith("legitscaler-ml-faulty-");
        assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
        String cause = "legitscaler_upstream_errors_total{cause=\"" + f.category() + "\",source=\"prometheus\"}";
        assertThat(series(scaler.scrape(), cause)).as(f.name()).isGreaterThan(series(before, cause));

        faulty.answer(FaultyPrometheusFixture.Answer.json(200, fiveAt(f.good())));
        Instant back = Instant.now();
        Snapshot recovered = scaler.secondSnapshotAfter(scaler.watch(ref), back, WAIT);
        assertThat(recovered.input().load()).as(f.name()).isInstanceOf(SignalState.Fresh.class);
        assertThat(recovered.result().value()).as(f.name()).isEqualTo(f.value());
        assertThat(scaler.poll(ref)).isEqualTo(ok(f.value()));
        held = f.value();
      }
    }
  }

  static Answer ok(long v) {
    return new Answer(Status.Code.OK, v, "");
  }

  static String fiveAt(String load) {
    String[][] s = new String[5][];
    for (int i = 0; i < 5; i++) {
      s[i] = new String[] {"{\"pod\":\"model-" + (i + 1) + "\"}", load};
    }
    return FaultyPrometheusFixture.vector(s);
  }

  static boolean allValues(com.fasterxml.jackson.databind.JsonNode result, String v) {
    for (var n : result) {
      if (!n.get("value").get(1).asText().equals(v)) {
        return false;
      }
    }
    return true;
  }

  static Answer awaitValue(ScaledObjectRef ref, long v) {
    return Eventually.until(WAIT, ref.getName() + " publishes " + v, () -> scaler.poll(ref),
        a -> a.ok() && a.value() == v);
  }

  /** Polls like an impatient KEDA (every 100 ms) until {@code done}; returns every answer seen. */
  static List<Answer> pollUntil(ScaledObjectRef ref, java.util.function.Predicate<Answer> done) throws Exception {
    List<Answer> seen = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Answer a = scaler.poll(ref);
      seen.add(a);
      if (done.test(a)) {
        return seen;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(ref.getName() + ": condition not reached within " + WAIT + "; answers " + seen);
  }
}
