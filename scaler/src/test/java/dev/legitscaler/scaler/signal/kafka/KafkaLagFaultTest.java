package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A broker that goes away and comes back. Each test owns its broker: shutting it down must not disturb
 * other tests. The hang guards are deliberately loose (they catch a fetch that never returns, not a
 * slow one); how long a fetch takes is measured in the benchmark, not asserted here.
 */
class KafkaLagFaultTest {
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(3);
  /** Far above FETCH_TIMEOUT: only a fetch that ignores its timeout can hit this. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  private static KafkaLagConfig config(String bootstrap, String group, String topic) {
    return KafkaLagConfig.parseRequired(new Metadata(Map.of("bootstrapServers", bootstrap,
        "consumerGroup", group, "topic", topic, "allowIdleConsumers", "true")), ServerDefaults.none());
  }

  @Test
  void brokerDownFailsTheFetchThenRestartedBrokerServesTheNextOne() throws Exception {
    // A restarted broker can only register once its previous session expired: keep Kafka's default
    // session timeout here rather than the test broker's stall-tolerant 30 s.
    try (KafkaTestBroker kafka = new KafkaTestBroker(Map.of("broker.session.timeout.ms", "9000")).start();
        KafkaAdminPool pool = new KafkaAdminPool(FETCH_TIMEOUT)) {
      kafka.createTopic("requests", 2);
      kafka.produce("requests", 0, 5);
      kafka.produce("requests", 1, 4);
      kafka.commit("model", "requests", 0, 2);
      kafka.commit("model", "requests", 1, 4);
      String bootstrapBefore = kafka.bootstrapServers();

      try (KafkaLagSource source = new KafkaLagSource(config(bootstrapBefore, "model", "requests"), pool)) {
        assertThat(source.fetch().totalLag()).isEqualTo(3);

        kafka.shutdownBroker();
        assertTimeoutPreemptively(HANG_GUARD, () ->
            assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e ->
                assertThat(e.category()).isIn(KafkaLagSource.TIMEOUT, KafkaLagSource.CONNECT)));
        // and again: a failed fetch leaves the source usable, failing the same bounded way
        assertTimeoutPreemptively(HANG_GUARD, () ->
            assertThatThrownBy(source::fetch).isInstanceOf(SignalException.class));

        kafka.restartBroker();
        assertThat(kafka.bootstrapServers()).as("same port after restart").isEqualTo(bootstrapBefore);
        kafka.produce("requests", 1, 6); // new data after the restart: proves the reading is live

        LagReading afterRestart = assertTimeoutPreemptively(HANG_GUARD, () -> fetchUntilSuccess(source));
        assertThat(afterRestart.totalLag()).isEqualTo(3 + 6);
      }
    }
  }

  @Test
  void nothingListeningFailsWithinTheTimeout() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed right away: connections are refused
    }
    try (KafkaAdminPool pool = new KafkaAdminPool(FETCH_TIMEOUT);
        KafkaLagSource source = new KafkaLagSource(config("127.0.0.1:" + deadPort, "g", "t"), pool)) {
      assertTimeoutPreemptively(HANG_GUARD, () ->
          assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
            assertThat(e.category()).isIn(KafkaLagSource.TIMEOUT, KafkaLagSource.CONNECT);
            assertThat(e.getMessage()).isNotBlank();
          }));
    }
  }

  /** What a Watch's refresher does: keep fetching on its interval until the backend answers. */
  private static LagReading fetchUntilSuccess(KafkaLagSource source) throws InterruptedException {
    while (true) {
      try {
        return source.fetch();
      } catch (SignalException e) {
        Thread.sleep(200);
      }
    }
  }
}
