package dev.legitscaler.scaler.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (KRaft) inside the test JVM, via Kafka's own KafkaClusterTestKit.
 *
 * <p>Use it either as a JUnit 5 extension, which starts it before the class's tests and stops it
 * after them:
 * <pre>{@code
 * @RegisterExtension static final KafkaTestBroker kafka = new KafkaTestBroker();
 * }</pre>
 * or as a resource: {@code try (KafkaTestBroker kafka = new KafkaTestBroker().start()) { ... }}.
 *
 * <p>One controller and one broker run as separate nodes (not combined) so the broker can be shut
 * down and restarted on the same port while the controller keeps the metadata. Group coordinator
 * settings are the ones without which consumers hang on a one-broker cluster
 * (offsets.topic.replication.factor=1 and friends). Topic auto-creation is off: a test names every
 * topic it uses.
 */
public final class KafkaTestBroker implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, Object> brokerProps;
  private KafkaClusterTestKit cluster;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;

  public KafkaTestBroker() {
    this(Map.of());
  }

  /** @param brokerProps broker settings added to (or overriding) the defaults below */
  public KafkaTestBroker(Map<String, Object> brokerProps) {
    Map<String, Object> props = new HashMap<>();
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("auto.create.topics.enable", "false");
    // On a busy CI machine heartbeats can stall for seconds; with the 9 s default the controller then
    // fences the broker and every partition loses its leader mid-test.
    props.put("broker.session.timeout.ms", "30000");
    props.putAll(brokerProps);
    this.brokerProps = Map.copyOf(props);
  }

  /** Formats and starts the cluster and waits until the broker is ready. Returns this. */
  public synchronized KafkaTestBroker start() {
    if (cluster != null) {
      return this;
    }
    try {
      TestKitNodes nodes = new TestKitNodes.Builder()
          .setCombined(false)
          .setNumControllerNodes(1)
          .setNumBrokerNodes(1)
          .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      brokerProps.forEach(builder::setConfigProp);
      KafkaClusterTestKit kit = builder.build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      cluster = kit;
      return this;
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test Kafka broker", e);
    }
  }

  /** {@code localhost:PORT}; the port stays the same across {@link #restartBroker()}. */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** A shared Admin client for setting up test data (do not close it). */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()));
    }
    return admin;
  }

  /** Creates a topic and waits until every partition has a leader that answers offset requests. */
  public void createTopic(String name, int partitions) {
    await(admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all());
    // A created topic may take a moment to be visible to the broker's metadata cache.
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      try {
        int seen = admin().describeTopics(List.of(name)).allTopicNames().get(ADMIN_TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS).get(name).partitions().size();
        if (seen == partitions) {
          return;
        }
      } catch (ExecutionException e) {
        // not visible yet: poll again
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + name + " did not appear");
      }
      sleepBriefly();
    }
  }

  /** Appends n records to one partition and waits until they are acknowledged. */
  public void produce(String topic, int partition, int n) {
    KafkaProducer<byte[], byte[]> p = producer();
    for (int i = 0; i < n; i++) {
      p.send(new ProducerRecord<>(topic, partition, null, ("r" + i).getBytes()));
    }
    p.flush();
  }

  /** Appends n records to each of partitions 0..partitions-1, acknowledged together (fast bulk setup). */
  public void produceToEachPartition(String topic, int partitions, int n) {
    KafkaProducer<byte[], byte[]> p = producer();
    for (int partition = 0; partition < partitions; partition++) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(topic, partition, null, ("r" + i).getBytes()));
      }
    }
    p.flush();
  }

  /** Sets the committed offset of a group on one partition (the group must have no active member). */
  public void commit(String group, String topic, int partition, long offset) {
    commit(group, Map.of(new TopicPartition(topic, partition), offset));
  }

  /** Sets several committed offsets of a group in one request. */
  public void commit(String group, Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
    offsets.forEach((tp, o) -> request.put(tp, new OffsetAndMetadata(o)));
    await(admin().alterConsumerGroupOffsets(group, request).all());
  }

  /** The latest offset (high watermark) of a partition, as the broker reports it. */
  public long latestOffset(String topic, int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    return await(admin().listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).all())
        .get(tp).offset();
  }

  /** Stops the broker (the controller keeps running); its port stops answering. */
  public void shutdownBroker() {
    var broker = running().brokers().get(brokerId());
    broker.shutdown();
    broker.awaitShutdown();
  }

  /**
   * Starts the broker again on the same port, with the same data, and waits until it is ready. The
   * controller accepts the new registration only after the old broker session expired, so this takes
   * about broker.session.timeout.ms (30 s by default here; pass a shorter one to the constructor).
   */
  public void restartBroker() {
    try {
      running().restartBroker(brokerId(), Map.of());
      running().waitForReadyBrokers();
    } catch (Exception e) {
      throw new IllegalStateException("could not restart the test Kafka broker", e);
    }
  }

  private int brokerId() {
    return running().brokers().keySet().iterator().next();
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.LINGER_MS_CONFIG, 0,
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
    return producer;
  }

  private synchronized KafkaClusterTestKit running() {
    if (cluster == null) {
      throw new IllegalStateException("KafkaTestBroker not started: call start() or register it as an extension");
    }
    return cluster;
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> f) {
    try {
      return f.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop the test Kafka broker", e);
      } finally {
        cluster = null;
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }
}
