package dev.legitscaler.loadtest.workers;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of the workers consumer group: replays each request record as an HTTP POST to the target
 * with bounded concurrency and timeouts, measures latency from the record's intended send time (so a
 * slow target cannot hide its queueing: no coordinated omission), and publishes one result per request.
 * Scale out by running more processes with the same group.
 */
public final class HttpWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(HttpWorkers.class);

  private final WorkersConfig config;
  private final Clock wallClock;
  private final HttpClient http;
  private final ExecutorService httpThreads;
  private final Semaphore inFlight;
  private final LatencyBook book = new LatencyBook();
  private final AtomicLong processed = new AtomicLong();
  private volatile boolean stopRequested;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  public HttpWorkers(WorkersConfig config, Clock wallClock) {
    this.config = config;
    this.wallClock = wallClock;
    this.httpThreads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, config.instanceName() + "-http");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .executor(httpThreads)
        .build();
    this.inFlight = new Semaphore(config.concurrency());
  }

  /** Asks {@link #run()} to finish the batch in hand, commit and return. */
  public void stop() {
    stopRequested = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  public long processed() {
    return processed.get();
  }

  /** Consumes until stopped, the record limit or the idle timeout; returns the summary. */
  public WorkerSummary run() throws InterruptedException {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(50, config.concurrency() * 4)));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaProducer<byte[], byte[]> results = config.resultsTopic() == null ? null : resultsProducer();
    try (KafkaConsumer<byte[], byte[]> kc = new KafkaConsumer<>(c)) {
      consumer = kc;
      if (stopRequested) {
        return book.summary();
      }
      kc.subscribe(List.of(config.topic()));
      long lastRecordNanos = 0;
      while (!stopRequested && !limitReached()) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = kc.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
          break;
        }
        if (records.isEmpty()) {
          if (config.idleExit() != null && lastRecordNanos != 0
              && System.nanoTime() - lastRecordNanos > config.idleExit().toNanos()) {
            break;
          }
          continue;
        }
        lastRecordNanos = System.nanoTime();
        replayAndCommit(kc, records, results);
      }
    } finally {
      consumer = null;
      if (results != null) {
        results.close(Duration.ofSeconds(10));
      }
      httpThreads.shutdown();
    }
    return book.summary();
  }

  private boolean limitReached() {
    return config.maxRecords() > 0 && processed.get() >= config.maxRecords();
  }

  private void replayAndCommit(KafkaConsumer<byte[], byte[]> kc, ConsumerRecords<byte[], byte[]> records,
      KafkaProducer<byte[], byte[]> results) throws InterruptedException {
    CountDownLatch batch = new CountDownLatch(records.count());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      inFlight.acquire();
      replay(r, results).whenComplete((v, e) -> {
        inFlight.release();
        batch.countDown();
      });
      offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    }
    // the whole batch completes before its offsets are committed: at-least-once, nothing lost on stop
    batch.await();
    commitServed(kc, offsets);
  }

  /**
   * Commits a batch that has been served. {@link #stop()} wakes the consumer up to end a poll; when the
   * wake-up lands on this commit instead, the commit is repeated (the wake-up is spent), so the served
   * batch is not replayed by the next owner and the worker still returns its summary.
   */
  static void commitServed(Consumer<?, ?> kc, Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      try {
        kc.commitSync(offsets);
      } catch (WakeupException e) {
        kc.commitSync(offsets);
      }
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // another worker joined or left meanwhile: the new owner replays these records (at-least-once)
      LOG.info("commit skipped by a rebalance: {}", e.getMessage());
    }
  }

  private java.util.concurrent.CompletableFuture<Void> replay(ConsumerRecord<byte[], byte[]> r,
      KafkaProducer<byte[], byte[]> results) {
    String client = RequestHeaders.text(r.headers(), RequestHeaders.CLIENT_ID);
    if (client == null) {
      client = r.key() == null ? "unknown" : new String(r.key(), StandardCharsets.UTF_8);
    }
    String phase = RequestHeaders.text(r.headers(), RequestHeaders.PHASE);
    String phaseName = phase == null ? "none" : phase;
    String eventId = RequestHeaders.text(r.headers(), RequestHeaders.EVENT_ID);
    long intended = RequestHeaders.sendTimestampMicros(r.headers());
    long intendedMicros = intended > 0 ? intended : r.timestamp() * 1000;
    HttpRequest.Builder request = HttpRequest.newBuilder(config.targetUrl())
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json")
        .header(RequestHeaders.HTTP_CLIENT_ID, client)
        .header(RequestHeaders.HTTP_SEND_TS, Long.toString(intendedMicros))
        .header(RequestHeaders.HTTP_PHASE, phaseName)
        .POST(HttpRequest.BodyPublishers.ofByteArray(r.value() == null ? new byte[0] : r.value()));
    if (looksLikeAddress(client)) {
      request.header(RequestHeaders.HTTP_FORWARDED_FOR, client);
    }
    String clientId = client;
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .handle((response, error) -> {
          long done = micros(wallClock.instant());
          Outcome outcome = error == null ? Outcome.ofStatus(response.statusCode()) : Outcome.ofFailure(error);
          int status = error == null ? response.statusCode() : 0;
          long latency = done - intendedMicros;
          book.record(phaseName, outcome, latency);
          processed.incrementAndGet();
          if (results != null) {
            String json = "{\"eventId\":" + quote(eventId) + ",\"clientId\":" + quote(clientId) + ",\"phase\":"
                + quote(phaseName) + ",\"status\":" + status + ",\"outcome\":\"" + outcome.label
                + "\",\"latencyMs\":" + (latency / 1000.0) + ",\"intendedTs\":" + intendedMicros + ",\"completedTs\":"
                + done + ",\"worker\":" + quote(config.instanceName()) + "}";
            results.send(new ProducerRecord<>(config.resultsTopic(), clientId.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
          }
          return null;
        });
  }

  private KafkaProducer<byte[], byte[]> resultsProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.instanceName() + "-results");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static boolean looksLikeAddress(String client) {
    return client.matches("[0-9a-fA-F.:]+");
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
