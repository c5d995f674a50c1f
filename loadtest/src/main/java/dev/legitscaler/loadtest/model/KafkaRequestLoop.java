package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the request topic in a consumer group and serves each record in a worker slot. A batch is
 * committed once all its records are served (at-least-once). When all slots are busy the loop stops
 * polling: the backlog stays in Kafka, where the scaler's lag term sees it.
 */
final class KafkaRequestLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLoop.class);

  private final ModelServerConfig config;
  private final ModelService service;
  private final WorkerSlots slots;
  private final ExecutorService slotThreads;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  KafkaRequestLoop(ModelServerConfig config, ModelService service, WorkerSlots slots, ExecutorService slotThreads) {
    this.config = config;
    this.service = service;
    this.slots = slots;
    this.slotThreads = slotThreads;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    if (config.predictionsTopic() != null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      p.put(ProducerConfig.CLIENT_ID_CONFIG, config.instanceName() + "-predictions");
      p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      producer = new KafkaProducer<>(p);
    } else {
      producer = null;
    }
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(config.topic()));
      while (!stopping) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          serveAndCommit(records);
        }
      }
    } catch (WakeupException e) {
      // close() woke us up: the batch in hand was committed already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("request loop failed: {}", e.toString());
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } finally {
        if (producer != null) {
          producer.close(Duration.ofSeconds(5));
        }
        stopped.countDown();
      }
    }
  }

  private void serveAndCommit(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    CountDownLatch batch = new CountDownLatch(records.count());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      slots.acquire();
      slotThreads.execute(() -> {
        try {
          serve(r);
        } finally {
          slots.release();
          batch.countDown();
        }
      });
      offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    }
    // even when stopping, the whole batch is served so that the commit covers exactly what was answered
    batch.await();
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // a replica joined or left while this batch was served: the partitions' new owner gets these
      // records again (at-least-once); keep consuming rather than stop the replica
      LOG.info("commit skipped by a rebalance: {}", e.getMessage());
    }
  }

  private void serve(ConsumerRecord<byte[], byte[]> r) {
    long sendTs = RequestHeaders.sendTimestampMicros(r.headers());
    if (sendTs <= 0 && r.timestamp() > 0) {
      // no send-ts header (another producer): the record's timestamp is the next best start
      sendTs = r.timestamp() * 1000;
    }
    ModelService.Result result = service.serveInSlot(r.value(), sendTs);
    if (producer != null && result.outcome() == ModelMetrics.Outcome.OK) {
      String eventId = RequestHeaders.text(r.headers(), RequestHeaders.EVENT_ID);
      String id = eventId != null ? eventId : result.detail();
      String body = String.format(Locale.ROOT, "{\"id\":\"%s\",\"score\":%.6f,\"label\":%d,\"model\":\"%s\"}",
          id, result.score(), result.score() >= 0.5 ? 1 : 0, config.instanceName());
      ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(config.predictionsTopic(), r.key(),
          body.getBytes(StandardCharsets.UTF_8));
      for (Header h : r.headers()) {
        out.headers().add(h);
      }
      producer.send(out, (meta, error) -> {
        if (error != null) {
          LOG.warn("prediction not delivered: {}", error.toString());
        }
      });
    }
  }

  /** Asks the loop to finish its batch, commit and close; waits up to {@code timeout}. */
  boolean stop(Duration timeout) throws InterruptedException {
    stopping = true;
    consumer.wakeup();
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
