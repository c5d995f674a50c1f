package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cost of one lag refresh ({@link KafkaLagSource#fetch()}) for a 1,000-partition topic against a local
 * broker (target: p50 and p99 <= 100 ms). Not part of the default test run (tag {@code bench}); run:
 * <pre>
 * mvn -B -q -o -pl scaler -am test -Dtest=KafkaLagBenchmark -Dtest.excludedGroups= \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Optional: {@code -Dbench.partitions=1000 -Dbench.warmup=100 -Dbench.iterations=200}.
 * Prints the numbers; it asserts that the readings are right, never how fast they came.
 */
@Tag("bench")
class KafkaLagBenchmark {
  private static final int PARTITIONS = Integer.getInteger("bench.partitions", 1000);
  private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
  private static final int ITERATIONS = Integer.getInteger("bench.iterations", 200);
  private static final int RECORDS_PER_PARTITION = 10;
  private static final int COMMITTED = 4;

  @Test
  void refreshOfAThousandPartitionTopic() throws Exception {
    try (KafkaTestBroker kafka = new KafkaTestBroker().start();
        KafkaAdminPool pool = new KafkaAdminPool(Duration.ofSeconds(10))) {
      long setupStart = System.nanoTime();
      kafka.createTopic("bench", PARTITIONS);
      Map<TopicPartition, Long> commits = new HashMap<>();
      kafka.produceToEachPartition("bench", PARTITIONS, RECORDS_PER_PARTITION);
      for (int p = 0; p < PARTITIONS; p++) {
        if (p % 2 == 0) { // half committed, half without a commit (the latest-policy rule)
          commits.put(new TopicPartition("bench", p), (long) COMMITTED);
        }
      }
      kafka.commit("bench-group", commits);
      System.out.printf("setup: %d partitions, %d records, %d commits in %d ms%n", PARTITIONS,
          PARTITIONS * RECORDS_PER_PARTITION, commits.size(), (System.nanoTime() - setupStart) / 1_000_000);

      long expected = (long) (PARTITIONS / 2) * (RECORDS_PER_PARTITION - COMMITTED) + (PARTITIONS - PARTITIONS / 2);
      Map<String, String> base = Map.of("bootstrapServers", kafka.bootstrapServers(), "consumerGroup",
          "bench-group", "allowIdleConsumers", "true");

      Map<String, String> withTopic = new HashMap<>(base);
      withTopic.put("topic", "bench");
      // Without topic, partitions without a commit are still measured (the group's topics are described).
      try (KafkaLagSource topicSet = new KafkaLagSource(config(withTopic), pool);
          KafkaLagSource noTopic = new KafkaLagSource(config(base), pool)) {
        // Warm both paths up first (client and broker share this JVM's JIT), then interleave the
        // samples so that load from elsewhere on the machine hits both alike.
        for (int i = 0; i < WARMUP; i++) {
          assertThat(topicSet.fetch().totalLag()).isEqualTo(expected);
          assertThat(noTopic.fetch().totalLag()).isEqualTo(expected);
          timedFirstFetch(withTopic, pool, expected);
        }
        long[] topicSetMicros = new long[ITERATIONS];
        long[] noTopicMicros = new long[ITERATIONS];
        long[] describedMicros = new long[ITERATIONS];
        for (int i = 0; i < ITERATIONS; i++) {
          topicSetMicros[i] = timedFetch(topicSet, expected);
          noTopicMicros[i] = timedFetch(noTopic, expected);
          describedMicros[i] = timedFirstFetch(withTopic, pool, expected);
        }
        report("topic set (partition list reused: committed + latest in parallel)", topicSetMicros);
        report("topic set, first fetch of a source (describe, then committed + latest)", describedMicros);
        report("no topic (group's offsets, describe, latest)", noTopicMicros);
      }
    }
    deadBrokerTimeToFailure();
  }

  private static KafkaLagConfig config(Map<String, String> md) {
    return KafkaLagConfig.parseRequired(new Metadata(md), ServerDefaults.none());
  }

  private static long timedFetch(KafkaLagSource source, long expected) throws SignalException {
    long t0 = System.nanoTime();
    LagReading r = source.fetch();
    long micros = (System.nanoTime() - t0) / 1_000;
    assertThat(r.totalLag()).isEqualTo(expected);
    assertThat(r.partitions()).isEqualTo(PARTITIONS);
    return micros;
  }

  /**
   * The first fetch of a new source describes the topic before asking for offsets: what every refresh
   * cost before the partition list was reused. The pool's Admin client stays open (other sources hold it).
   */
  private static long timedFirstFetch(Map<String, String> md, KafkaAdminPool pool, long expected)
      throws SignalException {
    try (KafkaLagSource fresh = new KafkaLagSource(config(md), pool)) {
      return timedFetch(fresh, expected);
    }
  }

  private static void report(String label, long[] micros) {
    Arrays.sort(micros);
    System.out.printf("BENCH kafka-lag fetch, %d partitions, %s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n",
        PARTITIONS, label, micros.length, percentile(micros, 50) / 1e3, percentile(micros, 99) / 1e3,
        micros[micros.length - 1] / 1e3);
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, int pct) {
    int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** How long a fetch against an address where nothing listens takes to fail, with a 3 s timeout. */
  private static void deadBrokerTimeToFailure() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Duration timeout = Duration.ofSeconds(3);
    try (KafkaAdminPool pool = new KafkaAdminPool(timeout);
        KafkaLagSource source = new KafkaLagSource(config(Map.of("bootstrapServers", "127.0.0.1:" + deadPort,
            "consumerGroup", "g", "topic", "t")), pool)) {
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        String[] category = new String[1];
        assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class,
            e -> category[0] = e.category());
        System.out.printf("BENCH kafka-lag dead broker, timeout %d ms: failed after %d ms, category %s%n",
            timeout.toMillis(), (System.nanoTime() - t0) / 1_000_000, category[0]);
      }
    }
  }
}
