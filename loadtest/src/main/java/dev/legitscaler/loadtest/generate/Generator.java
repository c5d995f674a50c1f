package dev.legitscaler.loadtest.generate;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Paces a traffic model's events onto Kafka in real time. Event at scenario time t is due at
 * start + t / timeScale on the monotonic clock; the loop sends every event that is due and parks until
 * the next one only when it is ahead by more than {@link #PARK_THRESHOLD_NANOS}. When it falls behind
 * (a slow broker, a full buffer) it catches up without waiting, and the record still carries its
 * intended send time, so downstream latency includes the delay.
 */
public final class Generator {

  /**
   * The producer settings the generator is paced and measured with (`generate`, `run`, the benchmark):
   * short linger, 64 KiB batches, byte-array records. Keys name clients, but nothing needs one client's
   * requests on one partition; the generator picks the partitions itself (in turn, see RecordFactory),
   * so the producer's partitioner is only consulted when the partition count is unknown.
   */
  public static Properties producerProperties(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    props.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class.getName());
    return props;
  }

  /** Parking for less than this costs more than it saves; at high rates events are sent back to back. */
  static final long PARK_THRESHOLD_NANOS = 200_000;

  /** A progress snapshot, emitted about every progress interval. */
  public record Progress(Duration scenarioTime, Duration scenarioDuration, String phase, double targetRate,
      double achievedRate, long sent, long acked, long errors, Duration behind) {}

  private final TrafficModel model;
  private final double timeScale;
  private final long scenarioEndNanos;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final MonotonicClock clock;
  private final Clock wallClock;
  private final Duration window;
  private final Duration progressEvery;
  private final Consumer<Progress> progress;
  private volatile boolean stopRequested;

  /**
   * @param scenarioDuration how much scenario time to play (at most the model's duration)
   * @param window width of the wall-clock windows the report counts target vs sent in
   */
  public Generator(TrafficModel model, double timeScale, Duration scenarioDuration, Producer<byte[], byte[]> producer,
      String topic, MonotonicClock clock, Clock wallClock, Duration window, Duration progressEvery,
      Consumer<Progress> progress) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("timeScale must be > 0");
    }
    this.model = model;
    this.timeScale = timeScale;
    this.scenarioEndNanos = Math.min(scenarioDuration.toNanos(), model.duration().toNanos());
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
    this.wallClock = wallClock;
    this.window = window;
    this.progressEvery = progressEvery;
    this.progress = progress;
  }

  /** Makes {@link #run()} return after the event in hand; safe from any thread (e.g. a shutdown hook). */
  public void stop() {
    stopRequested = true;
  }

  /** Plays the scenario; returns when it is over (or stopped) and every send has completed. */
  public GeneratorReport run() {
    // the topic's metadata before the clock starts (the first send would wait for it anyway), so the
    // records can be spread over its partitions
    RecordFactory records = new RecordFactory(topic, model.seed(), producer.partitionsFor(topic).size());
    LongAdder acked = new LongAdder();
    Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    GrowableCounts target = new GrowableCounts();
    GrowableCounts sent = new GrowableCounts();
    long windowNanos = window.toNanos();
    long scheduled = 0;
    long sentTotal = 0;
    long maxBehind = 0;
    long lastSendNanos = 0;

    // one callback for every send: a capturing lambda per record is measurable at peak rates
    Callback onCompletion = (meta, error) -> {
      if (error == null) {
        acked.increment();
      } else {
        errors.computeIfAbsent(error.getClass().getSimpleName(), k -> new LongAdder()).increment();
      }
    };
    Instant startWall = wallClock.instant();
    long startEpochMicros = startWall.getEpochSecond() * 1_000_000 + startWall.getNano() / 1000;
    long start = clock.nanoTime();
    long nextProgress = start + progressEvery.toNanos();
    long progressSentMark = 0;
    long progressMarkNanos = start;
    String phase = "";

    Iterator<TrafficEvent> events = model.iterator(0, scenarioEndNanos);
    while (events.hasNext() && !stopRequested) {
      TrafficEvent e = events.next();
      long offset = (long) (e.atNanos() / timeScale);
      long due = start + offset;
      long now = clock.nanoTime();
      if (due - now > PARK_THRESHOLD_NANOS) {
        clock.parkUntil(due);
        now = clock.nanoTime();
        if (stopRequested) {
          break;
        }
      }
      maxBehind = Math.max(maxBehind, now - due);
      scheduled++;
      target.increment((int) (offset / windowNanos));
      phase = e.phase();
      producer.send(records.record(e, startEpochMicros + offset / 1000), onCompletion);
      // one clock read per record: the send is counted in the window it started in
      long afterSend = now;
      sentTotal++;
      sent.increment((int) ((afterSend - start) / windowNanos));
      lastSendNanos = afterSend;
      if (afterSend >= nextProgress) {
        double achieved = (sentTotal - progressSentMark) / ((afterSend - progressMarkNanos) / 1e9);
        Duration scenarioNow = Duration.ofNanos(e.atNanos());
        progress.accept(new Progress(scenarioNow, Duration.ofNanos(scenarioEndNanos), phase,
            model.rateAt(scenarioNow) * timeScale, achieved, sentTotal, acked.sum(), sum(errors),
            Duration.ofNanos(Math.max(0, afterSend - due))));
        progressSentMark = sentTotal;
        progressMarkNanos = afterSend;
        nextProgress = afterSend + progressEvery.toNanos();
      }
    }
    boolean stoppedEarly = stopRequested;
    if (!stoppedEarly) {
      // wait out the tail of the scenario after the last event, so the run lasts its wall duration
      clock.parkUntil(start + (long) (scenarioEndNanos / timeScale));
    }
    producer.flush();
    long end = Math.max(clock.nanoTime(), lastSendNanos);
    int windows = (int) Math.max(target.size(), sent.size());
    List<GeneratorReport.Window> perWindow = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      perWindow.add(new GeneratorReport.Window(i, target.get(i), sent.get(i)));
    }
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    return new GeneratorReport(scheduled, sentTotal, acked.sum(), errorCounts, Duration.ofNanos(end - start),
        Duration.ofNanos(maxBehind), window, perWindow, stoppedEarly);
  }

  private static long sum(Map<String, LongAdder> errors) {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A per-window counter array that grows as the run goes on. */
  private static final class GrowableCounts {
    private long[] counts = new long[64];
    private int size;

    void increment(int index) {
      if (index >= counts.length) {
        counts = java.util.Arrays.copyOf(counts, Math.max(index + 1, counts.length * 2));
      }
      counts[index]++;
      size = Math.max(size, index + 1);
    }

    long get(int index) {
      return index < size ? counts[index] : 0;
    }

    int size() {
      return size;
    }
  }
}
