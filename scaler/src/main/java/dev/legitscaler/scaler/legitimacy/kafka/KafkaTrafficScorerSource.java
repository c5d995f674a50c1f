package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Malformed;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Observed;
import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.text.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the request topic with a read-only consumer and scores the current window.
 *
 * <p>The consumer belongs to no consumer group: it {@code assign()}s the topic's partitions itself, never
 * joins, commits to or rebalances a group, and keeps its own positions. A trigger may therefore name any
 * topic without being able to move another application's offsets or take its partitions
 * ({@code legitimacyConsumerGroup} is accepted for compatibility and has no effect on Kafka).
 *
 * <p>A background thread owns the consumer (KafkaConsumer is single-threaded): it polls, parses each
 * record and feeds the {@link TrafficScorer}. {@link #fetch()} only asks the scorer for the reading at
 * the clock's current time, so it never waits on Kafka. The consumer starts at the end of the topic the
 * first time this process is given a partition (the scorer judges live traffic, never a backlog), and
 * remembers its own position per partition, so a rebalance or a broker restart (during which commits
 * fail) resumes where it was instead of jumping to the end. The client's own reconnects ride out the
 * broker being away.
 */
public final class KafkaTrafficScorerSource implements SignalSource<LegitimacyReading> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTrafficScorerSource.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(5);
  static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

  private final TrafficScorerConfig config;
  private final Clock clock;
  private final TrafficScorer scorer;
  private final RecordParser parser;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final Thread poller;
  private final AtomicLong recordsRead = new AtomicLong();
  private final Map<String, AtomicLong> malformed = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  // next offset to read per partition, owned by the poll thread; survives rebalances and restarts of the
  // broker (a commit that failed while the coordinator was loading must not send us to the end again)
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private final Set<TopicPartition> everAssigned = new HashSet<>();
  private final AtomicLong assignedPartitions = new AtomicLong();
  private volatile boolean closed;

  public KafkaTrafficScorerSource(TrafficScorerConfig config, ServerDefaults defaults, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.scorer = new TrafficScorer(config.scorer(), config.dimensions());
    this.parser = new RecordParser(config.format(), config.attributeFields());
    // the consumer is created on the poll thread: a bad bootstrap address must fail fetch(), with a
    // retry, not the construction of the Watch
    this.poller = new Thread(this::run, "legitimacy-scorer-" + config.topic());
    poller.setDaemon(true);
    poller.start();
  }

  static Properties consumerProperties(TrafficScorerConfig config) {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    // no group at all, whatever the operator's properties say: nothing to join, commit to or rebalance
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // the client id is derived by the scaler (quotas are per client id: a trigger must not borrow another's)
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "legit-scaler-scorer." + config.clientIdSuffix());
    // the scorer only reads: a bounded batch keeps memory flat whatever the topic's throughput
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
    return p;
  }

  private void run() {
    while (!closed) {
      KafkaConsumer<byte[], byte[]> c = null;
      try {
        c = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        if (closed) {
          break;
        }
        consume(c);
      } catch (WakeupException e) {
        // close() woke us up
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.error("legitimacy scorer consumer for topic {} failed, retrying in {}: {}",
              SafeText.escape(config.topic()), RETRY, SafeText.bounded(e.toString(), 600));
          failure.set(e);
        }
      } finally {
        assignedPartitions.set(0);
        if (c != null) {
          try {
            c.close(Duration.ofSeconds(2));
          } catch (RuntimeException e) {
            LOG.warn("closing legitimacy scorer consumer: {}", SafeText.bounded(e.toString(), 600));
          }
        }
      }
      if (!closed) {
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void consume(KafkaConsumer<byte[], byte[]> c) {
    long nextPartitionCheck = Long.MIN_VALUE;
    while (!closed) {
      long nowNanos = System.nanoTime();
      if (nowNanos - nextPartitionCheck >= 0 || c.assignment().isEmpty()) {
        try {
          assign(c);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          if (c.assignment().isEmpty()) {
            throw e;
          }
          // the broker is away: keep reading what we have, the client reconnects by itself
        }
        nextPartitionCheck = nowNanos + PARTITION_CHECK.toNanos();
        if (c.assignment().isEmpty()) {
          sleepQuietly(POLL); // the topic does not exist yet or has no partitions
          continue;
        }
      }
      pollOnce(c);
    }
  }

  /**
   * Assigns every partition of the topic: a partition new to this process starts at its end, one seen
   * before continues at our own position (the consumer is new after a failure, its positions are not).
   */
  private void assign(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> partitions = c.partitionsFor(config.topic(), POLL.multipliedBy(10)).stream()
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    if (partitions.isEmpty() || new HashSet<>(partitions).equals(c.assignment())) {
      assignedPartitions.set(c.assignment().size());
      return;
    }
    c.assign(partitions);
    List<TopicPartition> fresh = partitions.stream().filter(everAssigned::add).toList();
    if (!fresh.isEmpty()) {
      c.seekToEnd(fresh);
      fresh.forEach(tp -> nextOffsets.put(tp, c.position(tp))); // resolve now, not lazily
    }
    for (TopicPartition tp : partitions) {
      Long next = nextOffsets.get(tp);
      if (next != null && !fresh.contains(tp)) {
        c.seek(tp, next);
      }
    }
    // counted once the positions are settled: "assigned" means reading from a known offset
    assignedPartitions.set(partitions.size());
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    }
  }

  private void pollOnce(KafkaConsumer<byte[], byte[]> c) {
    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
    failure.set(null);
    if (records.isEmpty()) {
      return;
    }
    long now = clock.millis();
    synchronized (scorer) {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        recordsRead.incrementAndGet();
        nextOffsets.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        TrafficEvent e = parser.parse(r.key(), r.value(), r.headers(), r.timestamp());
        if (e instanceof Observed o) {
          // a producer clock ahead of ours must not push the scorer's time into the future
          scorer.observe(o.clientId(), Math.min(o.timestampMillis(), now), o.valid(), o.attributes());
        } else if (e instanceof Malformed m) {
          malformed.computeIfAbsent(m.cause(), k -> new AtomicLong()).incrementAndGet();
        }
      }
    }
  }

  @Override
  public LegitimacyReading fetch() throws SignalException {
    Throwable t = failure.get();
    if (t != null) {
      throw new SignalException("consumer_failed", "legitimacy consumer stopped: " + t.getMessage(), t);
    }
    LegitimacyReading r;
    synchronized (scorer) {
      r = scorer.score(clock.millis());
    }
    Map<String, Double> signals = new TreeMap<>(r.signals());
    signals.put("records_read_total", (double) recordsRead.get());
    signals.put("malformed_records_total", (double) malformedTotal());
    signals.put("assigned_partitions", (double) assignedPartitions.get());
    return new LegitimacyReading(r.score(), r.attack(), r.reasons(), signals, r.topFlagged(), r.unscoredShare());
  }

  /** Records read from the topic since start (parsed or not). */
  public long recordsRead() {
    return recordsRead.get();
  }

  /** Records skipped, by cause ({@code no_client_id}, {@code bad_json}, {@code no_status}, ...). */
  public Map<String, Long> malformedByCause() {
    Map<String, Long> m = new TreeMap<>();
    malformed.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  private long malformedTotal() {
    return malformed.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public TrafficScorerConfig config() {
    return config;
  }

  @Override
  public void close() {
    closed = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    poller.interrupt();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
