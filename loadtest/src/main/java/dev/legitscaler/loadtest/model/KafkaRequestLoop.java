package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the request topic in a consumer group and serves its records in the worker slots, pipelined:
 * the consumer thread only polls, hands records to the slot threads and commits; the slots serve
 * concurrently and out of order; every commit interval the position below which every record of a
 * partition is served is committed (asynchronously; synchronously when partitions are revoked and on
 * stop), so a record is committed only once it was answered (at-least-once). When {@code maxInFlight}
 * records are handed out and unserved the partitions are paused: the backlog stays in Kafka, where the
 * scaler's lag term sees it, instead of in this process.
 */
final class KafkaRequestLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestLoop.class);
  // wait this long for the records of revoked partitions to be served before handing them over
  private static final Duration REVOKE_DRAIN = Duration.ofSeconds(10);
  private static final Duration STOP_DRAIN = Duration.ofSeconds(30);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);

  /** One record handed to the slots, with when it reached this instance (monotonic clock). */
  private record Handed(ConsumerRecord<byte[], byte[]> record, PartitionProgress progress, long readyNanos) {}

  private final ModelServerConfig config;
  private final ModelService service;
  private final WorkerSlots slots;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final BlockingQueue<Handed> handedOut = new LinkedBlockingQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>(); // consumer thread only
  private final List<Thread> slotThreads = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final long commitEveryNanos;
  private final Duration pausedPoll;
  private volatile boolean stopping;
  private boolean paused;

  KafkaRequestLoop(ModelServerConfig config, ModelService service, WorkerSlots slots) {
    this.config = config;
    this.service = service;
    this.slots = slots;
    this.commitEveryNanos = config.commitInterval().toNanos();
    // paused, the loop only waits for the slots to work the backlog down: poll often enough to resume
    // before they run dry, half a service time
    this.pausedPoll = Duration.ofNanos(Math.max(1_000_000L, config.serviceTime().toNanos() / 2));
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
    // replicas come and go with scaling: move only the partitions that change owner, the others keep
    // being served through the rebalance
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
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
    for (int i = 0; i < config.slots(); i++) {
      Thread t = new Thread(this::serveHandedOut, config.instanceName() + "-slot-" + (i + 1));
      t.setDaemon(true);
      slotThreads.add(t);
    }
  }

  @Override
  public void run() {
    slotThreads.forEach(Thread::start);
    try {
      consumer.subscribe(List.of(config.topic()), new Rebalance());
      long nextCommit = slots.clock().nanoTime() + commitEveryNanos;
      while (!stopping) {
        pauseOrResume();
        long now = slots.clock().nanoTime();
        Duration timeout = paused ? pausedPoll
            : Duration.ofNanos(Math.max(0, Math.min(IDLE_POLL.toNanos(), nextCommit - now)));
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long ready = slots.clock().nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          PartitionProgress p = progress.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
              tp -> new PartitionProgress());
          p.handedOut(r.offset());
          inFlight.incrementAndGet();
          handedOut.add(new Handed(r, p, ready));
        }
        if (ready - nextCommit >= 0) {
          commitAsync();
          nextCommit = ready + commitEveryNanos;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("request loop failed: {}", e.toString());
    } finally {
      try {
        drainAndCommit(progress.keySet(), STOP_DRAIN);
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("closing the consumer: {}", e.toString());
      } finally {
        slotThreads.forEach(Thread::interrupt);
        if (producer != null) {
          producer.close(Duration.ofSeconds(5));
        }
        stopped.countDown();
      }
    }
  }

  /** Pauses every assigned partition at {@code maxInFlight} unserved records, resumes at half of it. */
  private void pauseOrResume() {
    int n = inFlight.get();
    if (!paused && n >= config.maxInFlight()) {
      consumer.pause(consumer.assignment());
      paused = true;
    } else if (paused && n <= config.maxInFlight() / 2) {
      consumer.resume(consumer.paused());
      paused = false;
    }
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    progress.forEach((tp, p) -> {
      long c = p.committableIfMoved();
      if (c >= 0) {
        offsets.put(tp, new OffsetAndMetadata(c));
      }
    });
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          // the next interval commits a position at least as far; a rebalance hands it over
          LOG.debug("commit failed: {}", error.toString());
        }
      });
    }
  }

  /** Waits until the records of {@code partitions} are served, then commits them synchronously. */
  private void drainAndCommit(java.util.Collection<TopicPartition> partitions, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      PartitionProgress p = progress.get(tp);
      if (p == null) {
        continue;
      }
      try {
        if (!p.awaitAllServed(deadline)) {
          LOG.info("{}: {} records still unserved, committing what is served", tp, p.unserved());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long c = p.committable();
      if (c >= 0) {
        offsets.put(tp, new OffsetAndMetadata(c));
      }
    }
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(10));
      } catch (CommitFailedException | RebalanceInProgressException | org.apache.kafka.common.errors.TimeoutException e) {
        // the partitions' new owner gets these records again (at-least-once)
        LOG.info("commit skipped: {}", e.toString());
      }
    }
  }

  /** Hands partitions over only once what was taken from them is served and committed. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
      drainAndCommit(partitions, REVOKE_DRAIN);
      partitions.forEach(progress::remove);
    }

    @Override
    public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
      // already someone else's: committing is pointless, their records are served again there
      partitions.forEach(progress::remove);
    }

    @Override
    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions);
      }
    }
  }

  /** A slot thread: takes the oldest handed-out record, serves it in a free slot, marks it served. */
  private void serveHandedOut() {
    try {
      while (true) {
        Handed h = handedOut.take();
        WorkerSlots.Slot slot = slots.acquire();
        try {
          serve(h.record(), slot, h.readyNanos());
        } catch (RuntimeException e) {
          LOG.warn("serving {}-{}@{}: {}", h.record().topic(), h.record().partition(), h.record().offset(), e.toString());
        } finally {
          slots.release(slot);
          h.progress().served(h.record().offset());
          inFlight.decrementAndGet();
        }
      }
    } catch (InterruptedException e) {
      // stopped: everything handed out was served before (or given up on after STOP_DRAIN)
    }
  }

  private void serve(ConsumerRecord<byte[], byte[]> r, WorkerSlots.Slot slot, long readyNanos) {
    long sendTs = RequestHeaders.sendTimestampMicros(r.headers());
    if (sendTs <= 0 && r.timestamp() > 0) {
      // no send-ts header (another producer): the record's timestamp is the next best start
      sendTs = r.timestamp() * 1000;
    }
    ModelService.Result result = service.serveInSlot(slot, r.value(), sendTs, readyNanos);
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

  /** Asks the loop to serve what it handed out, commit and close; waits up to {@code timeout}. */
  boolean stop(Duration timeout) throws InterruptedException {
    // no wakeup(): it would throw out of the final commit too; the loop sees the flag within one poll
    stopping = true;
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
