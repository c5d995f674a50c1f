package dev.legitscaler.scaler.faults;

import static dev.legitscaler.scaler.faults.ScalerUnderTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.faults.ScalerUnderTest.Answer;
import dev.legitscaler.scaler.signal.kafka.KafkaLagSource;
import dev.legitscaler.scaler.testing.Eventually;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import dev.legitscaler.scaler.watch.Snapshot;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole server against a real Kafka broker that is stopped and restarted, and against topics and
 * groups that do not exist. Each test owns its broker: stopping it must not disturb other tests.
 */
class KafkaFaultServerTest {
  static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void brokerStoppedHoldsTheLagThenUnavailableThenRecoversAfterRestart() throws Exception {
    // A restarted broker registers only once its old session expired: Kafka's default 9 s, not the
    // test broker's stall-tolerant 30 s.
    try (KafkaTestBroker kafka = new KafkaTestBroker(Map.of("broker.session.timeout.ms", "9000")).start();
        ScalerUnderTest scaler = ScalerUnderTest.start(
            ScalerUnderTest.defaults(Duration.ofMillis(500), Duration.ofSeconds(5)))) {
      kafka.createTopic("requests", 2);
      kafka.produce("requests", 0, 30);
      kafka.produce("requests", 1, 20);
      kafka.commit("model", Map.of(new org.apache.kafka.common.TopicPartition("requests", 0), 0L,
          new org.apache.kafka.common.TopicPartition("requests", 1), 0L)); // lag 50, threshold 10: D_lag 5
      ScaledObjectRef ref = ScalerUnderTest.ref("lag-only", Map.of("bootstrapServers", kafka.bootstrapServers(),
          "consumerGroup", "model", "topic", "requests", "lagThreshold", "10", "allowIdleConsumers", "true",
          "refreshInterval", "500ms",
          "staleAfter", "5s"));
      Eventually.until(WAIT, "lag published", () -> scaler.poll(ref), a -> a.ok() && a.value() == 5);
      String before = scaler.scrape();

      kafka.shutdownBroker();
      Eventually.until(WAIT, "the lag fetch fails", () -> scaler.explain(ref),
          e -> e.getLag().getStatus().getConsecutiveFailures() > 0);
      List<Answer> answers = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Answer a = scaler.poll(ref);
        answers.add(a);
        if (a.code() == Status.Code.UNAVAILABLE) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(answers).as("held, then UNAVAILABLE; never another value").last()
          .extracting(Answer::code).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(answers).allSatisfy(a -> assertThat(a.ok() ? a.value() : -1L).isIn(5L, -1L));
      assertThat(scaler.metricName(ref)).as("GetMetricSpec keeps answering").startsWith("legitscaler-ml-lag-only-");
      Explanation down = scaler.explain(ref);
      assertThat(down.getState()).isEqualTo("stale");
      assertThat(down.getLag().getStatus().getLastErrorCategory()).isIn(KafkaLagSource.CONNECT, KafkaLagSource.TIMEOUT);
      assertThat(down.getLag().getStatus().getLastError()).isNotBlank();
      assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
      String during = scaler.scrape();
      double errorsBefore = kafkaErrors(before);
      assertThat(kafkaErrors(during)).isGreaterThan(errorsBefore);
      assertThat(series(during, "legitscaler_upstream_request_duration_seconds_count{source=\"kafka\"}"))
          .isGreaterThan(series(before, "legitscaler_upstream_request_duration_seconds_count{source=\"kafka\"}"));

      kafka.restartBroker();
      kafka.produce("requests", 1, 30); // lag 80: D_lag 8, clamped to 6; proves the reading is live
      // The test's own admin client answering proves the broker serves offsets again.
      Eventually.until(WAIT, "broker serves offsets", () -> kafka.latestOffset("requests", 1), o -> o == 50);
      Instant back = Instant.now();
      Snapshot recovered = scaler.secondSnapshotAfter(scaler.watch(ref), back, WAIT);
      assertThat(recovered.input().lag()).isInstanceOf(SignalState.Fresh.class);
      assertThat(recovered.result().value()).isEqualTo(6);
      assertThat(scaler.poll(ref)).isEqualTo(new Answer(Status.Code.OK, 6, ""));
      assertThat(scaler.explain(ref).getLag().getTotalLag()).isEqualTo(80);
      assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
    }
  }

  @Test
  void unknownTopicAndUnknownGroupAreExplainedAndNeverServed() throws Exception {
    try (KafkaTestBroker kafka = new KafkaTestBroker().start();
        ScalerUnderTest scaler = ScalerUnderTest.start(
            ScalerUnderTest.defaults(Duration.ofMillis(500), Duration.ofSeconds(5)))) {
      ScaledObjectRef noTopic = ScalerUnderTest.ref("no-topic", Map.of("bootstrapServers", kafka.bootstrapServers(),
          "consumerGroup", "model", "topic", "no-such-topic"));
      // Without a topic, the group's commits name the topics; a group that never existed has none.
      ScaledObjectRef noGroup = ScalerUnderTest.ref("no-group", Map.of("bootstrapServers", kafka.bootstrapServers(),
          "consumerGroup", "no-such-group"));
      for (var c : List.of(Map.entry(noTopic, KafkaLagSource.UNKNOWN_TOPIC),
          Map.entry(noGroup, KafkaLagSource.UNKNOWN_GROUP))) {
        ScaledObjectRef ref = c.getKey();
        Explanation e = Eventually.until(WAIT, ref.getName() + " explained", () -> {
          scaler.poll(ref); // creates the Watch on first sight, like KEDA
          return scaler.explain(ref);
        }, x -> !x.getLag().getStatus().getLastErrorCategory().isEmpty());
        assertThat(e.getLag().getStatus().getLastErrorCategory()).as(ref.getName()).isEqualTo(c.getValue());
        assertThat(e.getLag().getStatus().getLastError()).as(ref.getName()).isNotBlank();
        assertThat(scaler.poll(ref).code()).as(ref.getName()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(scaler.metricName(ref)).startsWith("legitscaler-ml-");
        String cause = "legitscaler_upstream_errors_total{cause=\"" + c.getValue() + "\",source=\"kafka\"}";
        assertThat(series(scaler.scrape(), cause)).isPositive();
      }
      assertThat(scaler.health()).isEqualTo(ServingStatus.SERVING);
    }
  }

  private static double kafkaErrors(String scrape) {
    return series(scrape, "legitscaler_upstream_errors_total{cause=\"connect\",source=\"kafka\"}")
        + series(scrape, "legitscaler_upstream_errors_total{cause=\"timeout\",source=\"kafka\"}");
  }
}
