package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Malformed;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Observed;
import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
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
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the request topic with its own consumer group and scores the current window.
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
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "legit-scaler-scorer-" + config.consumerGroup());
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
          LOG.error("legitimacy scorer consumer for topic {} failed, retrying in {}: {}", config.topic(), RETRY,
              e.toString());
          failure.set(e);
        }
      } finally {
        assignedPartitions.set(0);
        if (c != null) {
          try {
            c.close(Duration.ofSeconds(2));
          } catch (RuntimeException e) {
            LOG.warn("closing legitimacy scorer consumer: {}", e.toString());
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
    c.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        assignedPartitions.addAndGet(-partitions.size());
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // live traffic only: a partition seen for the first time in this process starts at its end,
        // even if an earlier run of the scorer committed an older position
        List<TopicPartition> fresh = partitions.stream().filter(everAssigned::add).toList();
        if (!fresh.isEmpty()) {
          c.seekToEnd(fresh);
          fresh.forEach(tp -> nextOffsets.put(tp, c.position(tp))); // resolve now, not lazily
        }
        // a partition we had before continues where we were, whatever the group committed
        for (TopicPartition tp : partitions) {
          Long next = nextOffsets.get(tp);
          if (next != null && !fresh.contains(tp)) {
            c.seek(tp, next);
          }
        }
        // counted once the positions are settled: "assigned" means reading from a known offset
        assignedPartitions.addAndGet(partitions.size());
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        assignedPartitions.addAndGet(-partitions.size());
      }
    });
    while (!closed) {
      ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
      failure.set(null);
      if (records.isEmpty()) {
        continue;
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
