package dev.legitscaler.scaler.legitimacy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trigger whose {@code legitimacyConsumerGroup} names another application's group, against a real
 * broker: that group's committed offsets stay where they were (its unprocessed records are not
 * skipped) and its member is never rebalanced.
 */
@Timeout(180)
class ScorerLeavesOtherGroupsAloneTest {
  @RegisterExtension
  static final KafkaTestBroker kafka = new KafkaTestBroker();

  private static final String TOPIC = "payments";
  private static final String GROUP = "payments-app";

  @Test
  void anotherApplicationsGroupKeepsItsOffsetsAndItsMember() throws Exception {
    kafka.createTopic(TOPIC, 2);
    kafka.produceToEachPartition(TOPIC, 2, 45); // 90 records the payments app has not processed yet
    kafka.commit(GROUP, Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1), 0L));

    // the payments app: one member that holds both partitions and commits nothing while the test runs
    AtomicInteger assignments = new AtomicInteger();
    AtomicInteger revocations = new AtomicInteger();
    AtomicInteger held = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("group.id", GROUP);
    p.put("enable.auto.commit", "false");
    p.put("max.poll.records", "1"); // keeps its position far from the end: we only look at the group
    Thread member = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        c.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
              revocations.incrementAndGet();
            }
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments.incrementAndGet();
          }
        });
        while (!stop.get()) {
          c.poll(Duration.ofMillis(100));
          held.set(c.assignment().size());
          c.pause(c.assignment()); // stays a member without consuming further
        }
      }
    }, "payments-member");
    member.start();
    try {
      await("the payments member to hold both partitions", () -> held.get() == 2);
      int assignmentsBefore = assignments.get();

      Map<String, String> md = new java.util.HashMap<>(Map.of(
          "bootstrapServers", kafka.bootstrapServers(), "topic", TOPIC, "consumerGroup", "model",
          "legitimacyConsumerGroup", GROUP, "legitimacyBucket", "60s"));
      TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(md), ServerDefaults.none(), "attacker",
          "so");
      try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(),
          java.time.Clock.systemUTC())) {
        // >= 1, not 2: a scorer that joined the group (as it once did) gets one partition, and the
        // assertions below then say what it did to the group
        await("the scorer to read a partition", () -> {
          try {
            return source.fetch().signals().get("assigned_partitions") >= 1.0;
          } catch (Exception e) {
            return false;
          }
        });
        kafka.produceToEachPartition(TOPIC, 2, 5);
        await("the scorer to read new records", () -> source.recordsRead() >= 5);
        // long enough for an auto-commit (5 s by default) and a rebalance to have happened
        Thread.sleep(6_000);

        Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(GROUP)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertThat(committed.get(new TopicPartition(TOPIC, 0)).offset()).isZero();
        assertThat(committed.get(new TopicPartition(TOPIC, 1)).offset()).isZero();
        ConsumerGroupDescription group = kafka.admin().describeConsumerGroups(List.of(GROUP)).all()
            .get(30, TimeUnit.SECONDS).get(GROUP);
        assertThat(group.members()).hasSize(1);
        assertThat(group.members().iterator().next().clientId()).doesNotContain("legit-scaler");
        assertThat(revocations.get()).as("the payments member lost no partition").isZero();
        assertThat(assignments.get()).as("no rebalance of the payments group").isEqualTo(assignmentsBefore);
        assertThat(held.get()).isEqualTo(2);
        assertThat(source.fetch().signals().get("assigned_partitions")).isEqualTo(2.0);
        assertThat(source.recordsRead()).isEqualTo(10);
      }
    } finally {
      stop.set(true);
      member.join(30_000);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
