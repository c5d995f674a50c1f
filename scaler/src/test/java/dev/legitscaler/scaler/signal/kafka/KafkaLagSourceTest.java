package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.kafka.LagCases.Case;
import dev.legitscaler.scaler.signal.kafka.LagCases.E2eStep;
import dev.legitscaler.scaler.signal.kafka.LagCases.Partition;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KafkaLagSource} against a real broker: every arithmetic row of the spec with topics, records
 * and committed offsets set up for real, plus what only a broker can show (no topic, unknown topic or
 * group, partitionLimitation, state across fetches, client sharing).
 */
class KafkaLagSourceTest {
  @RegisterExtension
  static final KafkaTestBroker kafka = new KafkaTestBroker();

  /** Generous: the machine is shared; a healthy local fetch takes milliseconds. */
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(20);
  private static final KafkaAdminPool pool = new KafkaAdminPool(FETCH_TIMEOUT);
  private static final AtomicInteger names = new AtomicInteger();

  @AfterAll
  static void closePool() {
    pool.close();
  }

  /** Topics and groups are unique per test: one broker serves the whole class. */
  private static String unique(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }

  private static KafkaLagConfig config(String group, String topic, Map<String, String> extra) {
    Map<String, String> md = new HashMap<>(extra);
    md.put("bootstrapServers", kafka.bootstrapServers());
    md.put("consumerGroup", group);
    if (topic != null) {
      md.put("topic", topic);
    }
    return KafkaLagConfig.parseRequired(new Metadata(md), ServerDefaults.none());
  }

  private static KafkaLagSource source(KafkaLagConfig config) {
    return new KafkaLagSource(config, pool, FETCH_TIMEOUT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.legitscaler.scaler.signal.kafka.LagCases#arguments")
  void lagArithmeticAgainstBroker(Case c) throws Exception {
    String topic = unique("lag");
    String group = unique("group");
    kafka.createTopic(topic, c.partitions().size());
    Map<TopicPartition, Long> commits = new HashMap<>();
    for (int i = 0; i < c.partitions().size(); i++) {
      Partition p = c.partitions().get(i);
      if (p.latest() > 0) {
        kafka.produce(topic, i, (int) p.latest());
      }
      if (p.committed() != LagCalculator.NO_COMMIT) {
        commits.put(new TopicPartition(topic, i), p.committed());
      }
    }
    if (!commits.isEmpty()) {
      kafka.commit(group, commits);
    }
    for (int i = 0; i < c.partitions().size(); i++) {
      assertThat(kafka.latestOffset(topic, i)).as("setup: L of partition %d", i)
          .isEqualTo(c.partitions().get(i).latest());
    }

    try (KafkaLagSource source = source(config(group, topic, c.metadata()))) {
      LagReading r = source.fetch();
      assertThat(r.totalLag()).as("totalLag").isEqualTo(c.totalLag());
      assertThat(r.totalLagWithPersistent()).as("totalLagWithPersistent").isEqualTo(c.totalLagWithPersistent());
      assertThat(r.partitions()).as("P").isEqualTo(c.partitions().size());
      assertThat(r.partitionsWithLag()).as("partitionsWithLag").isEqualTo(c.partitionsWithLag());
      assertThat(r.capped()).as("capped").isEqualTo(c.capped());
      assertThat(r.active()).as("active").isEqualTo(c.active());
    }
  }

  @Test
  void kedaE2eActivation() throws Exception {
    String topic = unique("e2e");
    String group = unique("group");
    kafka.createTopic(topic, 3);
    kafka.commit(group, Map.of(new TopicPartition(topic, 0), 0L, new TopicPartition(topic, 1), 0L,
        new TopicPartition(topic, 2), 0L));
    KafkaLagConfig cfg = config(group, topic, LagCases.E2E_METADATA);
    int[] produced = new int[3];
    try (KafkaLagSource source = source(cfg)) {
      for (E2eStep step : LagCases.E2E_STEPS) {
        int[] target = {step.p0(), step.p1(), step.p2()};
        for (int p = 0; p < 3; p++) {
          if (target[p] > produced[p]) {
            kafka.produce(topic, p, target[p] - produced[p]);
            produced[p] = target[p];
          }
        }
        LagReading r = source.fetch();
        assertThat(r.totalLag()).as("%d messages", step.messages()).isEqualTo(step.totalLag());
        assertThat(r.active()).as("%d messages", step.messages()).isEqualTo(step.active());
        assertThat(LagCases.replicas(r, cfg.lagThreshold())).as("%d messages", step.messages())
            .isEqualTo(step.replicas());
      }
    }
  }

  @Test
  void excludePersistentLagKeepsStateBetweenFetches() throws Exception {
    String topic = unique("persistent");
    String group = unique("group");
    kafka.createTopic(topic, 1);
    kafka.produce(topic, 0, 10);
    kafka.commit(group, topic, 0, 2);
    try (KafkaLagSource source = source(config(group, topic, Map.of("excludePersistentLag", "true",
        "allowIdleConsumers", "true")))) {
      LagReading first = source.fetch();
      assertThat(first.totalLag()).as("first sight counts").isEqualTo(8);

      LagReading stuck = source.fetch();
      assertThat(stuck.totalLag()).as("commit did not move").isZero();
      assertThat(stuck.totalLagWithPersistent()).isEqualTo(8);
      assertThat(stuck.active()).as("persistent lag still counts for activity").isTrue();

      kafka.commit(group, topic, 0, 5);
      LagReading moved = source.fetch();
      assertThat(moved.totalLag()).as("commit moved").isEqualTo(5);

      LagReading stuckAgain = source.fetch();
      assertThat(stuckAgain.totalLag()).isZero();
      assertThat(stuckAgain.totalLagWithPersistent()).isEqualTo(5);
    }
    // a new source has no memory: the same stuck commit counts again
    try (KafkaLagSource fresh = source(config(group, topic, Map.of("excludePersistentLag", "true",
        "allowIdleConsumers", "true")))) {
      assertThat(fresh.fetch().totalLag()).isEqualTo(5);
    }
  }

  @Test
  void partitionLimitationSelectsPartitions() throws Exception {
    String topic = unique("limited");
    String group = unique("group");
    kafka.createTopic(topic, 6);
    Map<TopicPartition, Long> commits = new HashMap<>();
    for (int p = 0; p < 6; p++) {
      kafka.produce(topic, p, p + 1); // lag of partition p = p + 1
      commits.put(new TopicPartition(topic, p), 0L);
    }
    kafka.commit(group, commits);
    try (KafkaLagSource source = source(config(group, topic, Map.of("partitionLimitation", "1-2,4",
        "allowIdleConsumers", "true")))) {
      LagReading r = source.fetch();
      assertThat(r.partitions()).isEqualTo(3);
      assertThat(r.totalLag()).isEqualTo(2 + 3 + 5);
      assertThat(r.partitionLags()).extracting(LagReading.PartitionLag::partition)
          .containsExactlyInAnyOrder(1, 2, 4);
    }
    try (KafkaLagSource none = source(config(group, topic, Map.of("partitionLimitation", "10-12")))) {
      assertThatThrownBy(none::fetch).isInstanceOfSatisfying(SignalException.class,
          e -> assertThat(e.category()).isEqualTo(KafkaLagSource.NO_PARTITIONS));
    }
  }

  @Test
  void limitToPartitionsWithLagCapsAtPartitionsWithLag() throws Exception {
    String topic = unique("withlag");
    String group = unique("group");
    kafka.createTopic(topic, 4);
    kafka.produce(topic, 0, 30);
    kafka.produce(topic, 1, 30);
    kafka.commit(group, Map.of(new TopicPartition(topic, 0), 0L, new TopicPartition(topic, 1), 0L,
        new TopicPartition(topic, 2), 0L, new TopicPartition(topic, 3), 0L));
    try (KafkaLagSource limited = source(config(group, topic, Map.of("lagThreshold", "10",
        "limitToPartitionsWithLag", "true")));
        KafkaLagSource plain = source(config(group, topic, Map.of("lagThreshold", "10")))) {
      assertThat(limited.fetch().totalLag()).as("bound = 2 partitions with lag").isEqualTo(20);
      assertThat(plain.fetch().totalLag()).as("bound = 4 partitions").isEqualTo(40);
    }
  }

  @Test
  void missingCommitsUnderBothResetPolicies() throws Exception {
    String topic = unique("partial");
    String group = unique("group");
    kafka.createTopic(topic, 2);
    kafka.produce(topic, 0, 7);
    kafka.produce(topic, 1, 9);
    kafka.commit(group, topic, 0, 4); // partition 1 never committed
    Map<String, String> noCap = Map.of("allowIdleConsumers", "true");
    try (KafkaLagSource latest = source(config(group, topic, noCap));
        KafkaLagSource earliest = source(config(group, topic, Map.of("allowIdleConsumers", "true",
            "offsetResetPolicy", "earliest")));
        KafkaLagSource zero = source(config(group, topic, Map.of("allowIdleConsumers", "true",
            "offsetResetPolicy", "earliest", "scaleToZeroOnInvalidOffset", "true")))) {
      assertThat(latest.fetch().totalLag()).as("3 + 1").isEqualTo(4);
      assertThat(earliest.fetch().totalLag()).as("3 + 9").isEqualTo(12);
      assertThat(zero.fetch().totalLag()).as("3 + 0").isEqualTo(3);
    }
  }

  @Test
  void withoutTopicEveryTopicTheGroupCommittedTo() throws Exception {
    String a = unique("all-a");
    String b = unique("all-b");
    String other = unique("all-other");
    String group = unique("group");
    kafka.createTopic(a, 2);
    kafka.createTopic(b, 1);
    kafka.createTopic(other, 1);
    kafka.produce(a, 0, 5);
    kafka.produce(a, 1, 4);
    kafka.produce(b, 0, 3);
    kafka.produce(other, 0, 100); // the group never committed here: not measured
    kafka.commit(group, Map.of(new TopicPartition(a, 0), 0L, new TopicPartition(b, 0), 1L));
    try (KafkaLagSource source = source(config(group, null, Map.of("allowIdleConsumers", "true")))) {
      LagReading r = source.fetch();
      // a/0: 5; a/1: no commit, latest policy: 1; b/0: 2
      assertThat(r.totalLag()).isEqualTo(8);
      assertThat(r.partitions()).isEqualTo(3);
      assertThat(r.partitionLags()).extracting(pl -> pl.topic() + "/" + pl.partition())
          .containsExactlyInAnyOrder(a + "/0", a + "/1", b + "/0");
    }
  }

  @Test
  void unknownTopic() {
    try (KafkaLagSource source = source(config(unique("group"), unique("no-such-topic"), Map.of()))) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isEqualTo(KafkaLagSource.UNKNOWN_TOPIC);
        assertThat(e.getMessage()).contains("no-such-topic");
      });
    }
  }

  @Test
  void aDeletedAndRecreatedTopicIsDescribedAgainAfterTheFailure() throws Exception {
    // The partition list is reused between refreshes; a failed refresh must forget it.
    String topic = unique("recreated");
    kafka.createTopic(topic, 1);
    kafka.produce(topic, 0, 2);
    try (KafkaLagSource source = source(config(unique("group"), topic, Map.of("allowIdleConsumers", "true")))) {
      assertThat(source.fetch().partitions()).isEqualTo(1);
      kafka.admin().deleteTopics(java.util.List.of(topic)).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
      dev.legitscaler.scaler.testing.Eventually.until(java.time.Duration.ofSeconds(60), "the fetch fails", () -> {
        try {
          source.fetch();
          return "";
        } catch (SignalException e) {
          return e.category();
        }
      }, c -> c.equals(KafkaLagSource.UNKNOWN_TOPIC));
      dev.legitscaler.scaler.testing.Eventually.until(java.time.Duration.ofSeconds(60), "topic recreated", () -> {
        kafka.createTopic(topic, 3);
        return true;
      }, ok -> ok);
      kafka.produce(topic, 2, 5);
      LagReading r = dev.legitscaler.scaler.testing.Eventually.until(java.time.Duration.ofSeconds(60),
          "the new partitions are measured", source::fetch, x -> x.partitions() == 3);
      assertThat(r.partitions()).isEqualTo(3);
    }
  }

  @Test
  void unknownGroupWithoutTopic() {
    String group = unique("no-such-group");
    try (KafkaLagSource source = source(config(group, null, Map.of()))) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isEqualTo(KafkaLagSource.UNKNOWN_GROUP);
        assertThat(e.getMessage()).contains(group);
      });
    }
  }

  @Test
  void unknownGroupWithTopicCountsAsMissingCommits() throws Exception {
    // KEDA does the same: a group that never committed gets the offsetResetPolicy rules.
    String topic = unique("fresh");
    kafka.createTopic(topic, 3);
    kafka.produce(topic, 0, 50);
    try (KafkaLagSource source = source(config(unique("no-such-group"), topic, Map.of()))) {
      LagReading r = source.fetch();
      assertThat(r.totalLag()).isEqualTo(3);
      assertThat(r.partitionLags()).allSatisfy(pl -> assertThat(pl.committed()).isEqualTo(-1));
    }
  }

  @Test
  void sourcesOfTheSameClusterShareOneAdminClient() throws Exception {
    String topic = unique("shared");
    kafka.createTopic(topic, 1);
    try (KafkaAdminPool own = new KafkaAdminPool(FETCH_TIMEOUT)) {
      KafkaLagSource s1 = new KafkaLagSource(config(unique("group"), topic, Map.of()), own, FETCH_TIMEOUT);
      KafkaLagSource s2 = new KafkaLagSource(config(unique("group"), topic, Map.of()), own, FETCH_TIMEOUT);
      assertThat(own.openClients()).isEqualTo(1);
      assertThat(s1.fetch().totalLag()).isEqualTo(1);
      s1.close();
      s1.close(); // idempotent: must not release s2's share
      assertThat(own.openClients()).isEqualTo(1);
      assertThat(s2.fetch().totalLag()).as("still usable after the other user left").isEqualTo(1);
      s2.close();
      assertThat(own.openClients()).isZero();
    }
  }

  @ParameterizedTest(name = "group.protocol={0}")
  @ValueSource(strings = {"classic", "consumer"})
  void lagOfALiveConsumerGroup(String protocol) throws Exception {
    String topic = unique("live");
    String group = unique("group");
    kafka.createTopic(topic, 2);
    kafka.produce(topic, 0, 10);
    kafka.produce(topic, 1, 6);
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        KafkaLagSource source = source(config(group, topic, Map.of("allowIdleConsumers", "true")))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.assignment().size() < 2) {
        assertThat(System.nanoTime()).as("consumer joined the group").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(100));
      }
      // commits through the group coordinator, as the model's consumers do
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(7),
          new TopicPartition(topic, 1), new OffsetAndMetadata(2)));
      LagReading r = source.fetch();
      assertThat(r.totalLag()).isEqualTo((10 - 7) + (6 - 2));
      assertThat(r.partitionsWithLag()).isEqualTo(2);
    }
  }
}
