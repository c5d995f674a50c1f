package dev.legitscaler.scaler.legitimacy.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** The Kafka wrapper against a real KRaft broker running inside the test JVM. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class KafkaTrafficScorerSourceTest {
  static KafkaClusterTestKit cluster;
  static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startBroker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(false).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic("requests", 2, (short) 1), new NewTopic("access-log", 1, (short) 1),
          new NewTopic("rebalance", 2, (short) 1),
          new NewTopic("restart", 1, (short) 1))).all().get();
    }
    producer = newProducer();
  }

  static KafkaProducer<byte[], byte[]> newProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The system clock plus an offset the test moves forward to close the scorer's buckets. */
  static final class SteppingClock extends Clock {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
      return System.currentTimeMillis() + offsetMillis.get();
    }

    /** Moves just past the end of the current scorer bucket, so the window holds what was sent. */
    void stepPastBucket(long bucketMillis) {
      long now = millis();
      long next = (Math.floorDiv(now, bucketMillis) + 1) * bucketMillis + 1;
      offsetMillis.addAndGet(next - now);
    }
  }

  static Map<String, String> metadata(String topic, Map<String, String> extra) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrapServers", cluster.bootstrapServers());
    m.put("topic", topic);
    m.put("consumerGroup", "model-group");
    m.put("legitimacyConsumerGroup", "scorer-" + topic);
    // one-minute buckets, two per window: everything a test sends lands in the judged window
    m.put("legitimacyBucket", "60s");
    m.put("legitimacyWindowBuckets", "2");
    m.putAll(extra);
    return m;
  }

  static void send(String topic, String key, byte[] value, Map<String, String> headers) throws Exception {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    producer.send(r).get();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static void awaitAssigned(KafkaTrafficScorerSource source, int partitions) throws Exception {
    await("partition assignment", () -> {
      try {
        return source.fetch().signals().get("assigned_partitions") >= partitions;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  @Order(1)
  void requestRecordsUseTheHeaderThenTheKeyTheValidityHeaderAndStartAtTheEnd() throws Exception {
    // records from before the scorer starts are history, not live traffic: never read
    for (int i = 0; i < 40; i++) {
      send("requests", "old-" + i, new byte[] {1}, Map.of("client-id", "old"));
    }
    TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(metadata("requests",
        Map.of("legitimacyValidityHeader", "x-valid"))), ServerDefaults.none(), "ns", "so");
    SteppingClock clock = new SteppingClock();
    try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(), clock)) {
      awaitAssigned(source, 2);
      for (int i = 0; i < 20; i++) {
        // the header names the client; the keys differ on purpose and must be ignored
        send("requests", "key-" + i, new byte[] {1}, Map.of("client-id", i % 2 == 0 ? "alice" : "carol"));
      }
      for (int i = 0; i < 10; i++) {
        send("requests", "bob", new byte[] {1}, i < 4 ? Map.of("x-valid", "false") : Map.of("x-valid", "true"));
      }
      send("requests", "dave", new byte[] {1}, Map.of("client-id", "")); // empty header: key
      send("requests", null, new byte[] {1}, Map.of()); // nobody: malformed
      send("requests", null, new byte[] {1}, Map.of("x-valid", "true")); // nobody: malformed
      await("33 records", () -> source.recordsRead() >= 33);
      clock.stepPastBucket(60_000);
      LegitimacyReading r = source.fetch();

      assertThat(source.recordsRead()).isEqualTo(33);
      assertThat(source.malformedByCause()).isEqualTo(Map.of("no_client_id", 2L));
      assertThat(r.signals().get("window_rate") * 120).isCloseTo(31.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.signals().get("distinct_clients")).isEqualTo(4.0); // alice, carol, bob, dave
      assertThat(r.signals().get("invalid_share")).isCloseTo(4.0 / 31, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.signals().get("malformed_records_total")).isEqualTo(2.0);
    }
    try (Admin admin = cluster.admin()) {
      Set<String> groups = new java.util.HashSet<>();
      admin.listGroups().all().get().forEach(g -> groups.add(g.groupId()));
      // the scorer reads without any consumer group: neither its own nor the model's exists
      assertThat(groups).doesNotContain("scorer-requests", "model-group");
    }
  }

  @Test
  @Order(2)
  void accessLogRecordsUseTheConfiguredFieldPaths() throws Exception {
    TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(metadata("access-log", Map.of(
        "legitimacyRecordKind", "accessLog",
        "legitimacyClientIdField", "request.client.ip",
        "legitimacyStatusField", "response.status",
        "legitimacyTimestampField", "time"))), ServerDefaults.none(), "ns", "so");
    SteppingClock clock = new SteppingClock();
    try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(), clock)) {
      awaitAssigned(source, 1);
      for (int i = 0; i < 30; i++) {
        int status = i < 6 ? 404 : (i < 8 ? 503 : 200);
        String time = i % 2 == 0 ? "\"" + Instant.now() + "\"" : String.format("%.3f", System.currentTimeMillis() / 1000.0);
        String json = "{\"request\":{\"client\":{\"ip\":\"10.0.0." + (i % 5) + "\"},\"path\":\"/predict\"},"
            + "\"response\":{\"status\":" + status + "},\"time\":" + time + "}";
        send("access-log", null, json.getBytes(StandardCharsets.UTF_8), Map.of());
      }
      send("access-log", null, "not json".getBytes(StandardCharsets.UTF_8), Map.of());
      send("access-log", null, "{\"request\":{\"client\":{\"ip\":\"10.0.0.9\"}}}".getBytes(StandardCharsets.UTF_8), Map.of());
      send("access-log", null, "{\"response\":{\"status\":200}}".getBytes(StandardCharsets.UTF_8), Map.of());
      await("33 records", () -> source.recordsRead() >= 33);
      clock.stepPastBucket(60_000);
      LegitimacyReading r = source.fetch();

      assertThat(source.malformedByCause()).isEqualTo(Map.of("bad_json", 1L, "no_status", 1L, "no_client_id", 1L));
      assertThat(r.signals().get("window_rate") * 120).isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-6));
      assertThat(r.signals().get("distinct_clients")).isEqualTo(5.0);
      // 4xx marks a bad request; a 5xx is the service's fault, not the client's
      assertThat(r.signals().get("invalid_share")).isCloseTo(6.0 / 30, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  @Order(3)
  void aConsumerOfTheGroupTheTriggerNamesTakesNothingFromTheScorer() throws Exception {
    TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(metadata("rebalance", Map.of())),
        ServerDefaults.none(), "ns", "so");
    SteppingClock clock = new SteppingClock();
    try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(), clock)) {
      awaitAssigned(source, 2);
      // a member of the group named by legitimacyConsumerGroup: the scorer is no member of it, so the
      // member gets every partition and the scorer keeps reading every partition
      Properties p = new Properties();
      p.put("bootstrap.servers", cluster.bootstrapServers());
      p.put("group.id", config.consumerGroup());
      p.put("auto.offset.reset", "latest");
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger memberPartitions = new java.util.concurrent.atomic.AtomicInteger();
      Thread member = new Thread(() -> {
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
          c.subscribe(List.of("rebalance"));
          while (!stop.get()) {
            c.poll(Duration.ofMillis(100));
            memberPartitions.set(c.assignment().size());
          }
        }
      });
      member.start();
      try {
        await("the member to own both partitions", () -> memberPartitions.get() == 2);
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("rebalance", i % 2, ("c" + i).getBytes(StandardCharsets.UTF_8),
              new byte[] {1})).get();
        }
        await("all records", () -> source.recordsRead() >= 10);
        assertThat(source.recordsRead()).isEqualTo(10);
        assertThat(source.fetch().signals().get("assigned_partitions")).isEqualTo(2.0);
        assertThat(memberPartitions.get()).isEqualTo(2);
      } finally {
        stop.set(true);
        member.join(30_000);
      }
    }
  }

  @Test
  @Order(4)
  void anUnusableBootstrapAddressFailsTheRefreshNotTheConstruction() throws Exception {
    Map<String, String> m = metadata("requests", Map.of());
    m.put("bootstrapServers", "no-such-broker.invalid:9092");
    TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(m), ServerDefaults.none(), "ns", "so");
    try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(),
        new SteppingClock())) {
      await("the refresh to fail", () -> {
        try {
          source.fetch();
          return false;
        } catch (dev.legitscaler.scaler.signal.SignalException e) {
          return e.category().equals("consumer_failed");
        }
      });
    }
  }

  @Test
  @Order(5)
  void aBrokerRestartIsSurvived() throws Exception {
    TrafficScorerConfig config = TrafficScorerConfig.parse(new Metadata(metadata("restart", Map.of())),
        ServerDefaults.none(), "ns", "so");
    SteppingClock clock = new SteppingClock();
    try (KafkaTrafficScorerSource source = new KafkaTrafficScorerSource(config, ServerDefaults.none(), clock)) {
      awaitAssigned(source, 1);
      for (int i = 0; i < 10; i++) {
        send("restart", "before-" + i, new byte[] {1}, Map.of());
      }
      await("records before the restart", () -> source.recordsRead() >= 10);
      String bootstrap = cluster.bootstrapServers();
      int brokerId = cluster.brokers().keySet().iterator().next();
      cluster.restartBroker(brokerId, Map.of());
      cluster.waitForReadyBrokers();
      assertThat(cluster.bootstrapServers()).as("the broker came back on its port").isEqualTo(bootstrap);
      source.fetch(); // still answering
      for (int i = 0; i < 10; i++) {
        send("restart", "after-" + i, new byte[] {1}, Map.of());
      }
      await("records after the restart", () -> source.recordsRead() >= 20);
      assertThat(source.recordsRead()).isEqualTo(20);
      assertThat(source.fetch().score()).isEqualTo(1.0);
    }
  }
}
