package dev.legitscaler.loadtest.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.testing.KafkaTestBroker;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.ProducerPerformance;
import org.junit.jupiter.api.Test;

/**
 * Generator benchmark against a local broker (not part of the default test run; the class name does not
 * match surefire's includes). Run with:
 *
 * <pre>mvn -B -o -pl loadtest -am test -Dtest=GeneratorBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Measures (1) pacing accuracy: records sent per 10 s wall window against the records due in it, at
 * target rates up to 20,000/s; (2) peak throughput against Kafka's own ProducerPerformance on the same
 * broker, record size and producer settings. Writes target/benchmarks/loadtest.md. Only sanity is
 * asserted: the numbers are the output.
 */
class GeneratorBenchmark {

  private static final int PARTITIONS = 3;
  private static final Duration WINDOW = Duration.ofSeconds(10);

  @Test
  void benchmark() throws Exception {
    int windows = Integer.getInteger("bench.windows", 3);
    int peakSeconds = Integer.getInteger("bench.peakSeconds", 15);
    int rounds = Integer.getInteger("bench.rounds", 2);
    int[] rates = {1_000, 5_000, 10_000, 20_000};
    StringBuilder md = new StringBuilder();
    md.append("| target rate (rec/s) | windows | worst window error | mean achieved/target | max behind schedule | send errors |\n");
    md.append("|---:|---:|---:|---:|---:|---:|\n");
    try (KafkaTestBroker broker = KafkaTestBroker.start()) {
      for (int rate : rates) {
        String topic = "bench-pace-" + rate;
        broker.createTopic(topic, PARTITIONS);
        Scenario s = constantRate(rate, Duration.ofSeconds(windows * WINDOW.toSeconds()));
        GeneratorReport r;
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
          r = new Generator(TrafficModel.of(s), 1, s.duration(), producer, topic, MonotonicClock.SYSTEM,
              Clock.systemUTC(), WINDOW, Duration.ofHours(1), p -> { }).run();
        }
        // send errors are reported, not asserted: on an overloaded machine the in-JVM broker can stall
        // long enough for the producer to time requests out, and that is a measurement, not a bug
        assertThat(r.sent()).isEqualTo(r.scheduled());
        List<GeneratorReport.Window> full = r.windows().subList(0, Math.min(windows, r.windows().size()));
        double worst = full.stream().mapToDouble(w -> Math.abs(w.accuracy() - 1)).max().orElse(Double.NaN);
        double mean = full.stream().mapToDouble(GeneratorReport.Window::accuracy).average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "| %,d | %d | %.3f %% | %.4f | %.1f ms | %d %s |%n", rate, full.size(),
            worst * 100, mean, r.maxBehind().toNanos() / 1e6, r.errorCount(), r.errors().isEmpty() ? "" : r.errors()));
        System.out.printf(Locale.ROOT, "pace rate=%d windows=%s worst_error_pct=%.3f max_behind_ms=%.1f%n", rate,
            full, worst * 100, r.maxBehind().toNanos() / 1e6);
      }

      // peak: ask for far more than can be sent and stop after peakSeconds. The two producers alternate,
      // `rounds` times each, and the best run of each counts: the first runs also warm the JVM up.
      Scenario flood = constantRate(2_000_000, Duration.ofSeconds(peakSeconds * 4L));
      int valueSize = meanSize(flood, false);
      int recordSize = meanSize(flood, true);
      double generatorPeak = 0;
      double ppRate = 0;
      double ppValueOnlyRate = 0;
      java.util.Map<String, Long> peakErrors = new java.util.TreeMap<>();
      for (int round = 0; round < rounds; round++) {
        String gTopic = "bench-peak-gen-" + round;
        broker.createTopic(gTopic, PARTITIONS);
        GeneratorReport peak;
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
          Generator g = new Generator(TrafficModel.of(flood), 1, flood.duration(), producer, gTopic,
              MonotonicClock.SYSTEM, Clock.systemUTC(), WINDOW, Duration.ofHours(1), p -> { });
          Thread stopper = new Thread(() -> {
            try {
              Thread.sleep(peakSeconds * 1000L);
            } catch (InterruptedException e) {
              return;
            }
            g.stop();
          });
          stopper.start();
          peak = g.run();
          stopper.join();
        }
        double rate = peak.acked() / (peak.elapsed().toNanos() / 1e9);
        peak.errors().forEach((k, v) -> peakErrors.merge(k, v, Long::sum));
        long ppRecords = Math.max(200_000, (long) (rate * peakSeconds));
        broker.createTopic("bench-peak-pp-same-" + round, PARTITIONS);
        double same = producerPerformance(broker, "bench-peak-pp-same-" + round, ppRecords, recordSize);
        broker.createTopic("bench-peak-pp-value-" + round, PARTITIONS);
        double valueOnly = producerPerformance(broker, "bench-peak-pp-value-" + round, ppRecords, valueSize);
        System.out.printf(Locale.ROOT, "peak round=%d generator=%.0f pp_same_size=%.0f pp_value_size=%.0f%n", round, rate,
            same, valueOnly);
        generatorPeak = Math.max(generatorPeak, rate);
        ppRate = Math.max(ppRate, same);
        ppValueOnlyRate = Math.max(ppValueOnlyRate, valueOnly);
      }
      double ratio = generatorPeak / ppRate;
      System.out.printf(Locale.ROOT, "peak generator=%.0f rec/s producer_performance=%.0f rec/s ratio=%.3f record_size=%d "
          + "(value %d: %.0f rec/s, ratio %.3f)%n", generatorPeak, ppRate, ratio, recordSize, valueSize, ppValueOnlyRate,
          generatorPeak / ppValueOnlyRate);
      System.out.printf(Locale.ROOT, "peak run send errors=%s%n", peakErrors);

      md.append("\n| peak throughput | records/s |\n|---|---:|\n");
      md.append(String.format(Locale.ROOT, "| loadtest generate (%d B per record: value %d B + key + 4 headers) | %,.0f |%n",
          recordSize, valueSize, generatorPeak));
      md.append(String.format(Locale.ROOT, "| Kafka ProducerPerformance, same record size (--record-size %d) | %,.0f |%n",
          recordSize, ppRate));
      md.append(String.format(Locale.ROOT, "| ratio (same record size) | %.3f |%n", ratio));
      md.append(String.format(Locale.ROOT, "| Kafka ProducerPerformance, value size only (--record-size %d) | %,.0f |%n",
          valueSize, ppValueOnlyRate));
      md.append(String.format(Locale.ROOT, "| ratio (value size only) | %.3f |%n", generatorPeak / ppValueOnlyRate));
      md.append(String.format(Locale.ROOT, "%nBest of %d alternating runs each. Peak run send errors: %s.%n", rounds,
          peakErrors.isEmpty() ? "none" : peakErrors));
      md.append(String.format(Locale.ROOT, "%nMeasured %s, %d cores, Java %s.%n", Instant.now(),
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    }
    Path out = Path.of("target", "benchmarks", "loadtest.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    System.out.println(md);
  }

  private static Scenario constantRate(int rate, Duration duration) {
    return new ScenarioLoader().parse("bench.yaml", String.format(Locale.ROOT, """
        name: bench
        seed: 5
        duration: %ds
        legitimate:
          rate: %d
          activeClients: 1000
          arrivals: even
          phases:
            - {kind: steady, duration: %ds}
        """, duration.toSeconds(), rate, duration.toSeconds()));
  }

  /** Mean bytes per record: value only, or value + key + header keys and values (what goes on the wire). */
  private static int meanSize(Scenario s, boolean wholeRecord) {
    RecordFactory factory = new RecordFactory("t", s.seedOrDefault(), 12);
    long[] sum = new long[2];
    TrafficModel.of(s).eventsBetween(Duration.ZERO, Duration.ofMillis(200)).forEach(e -> {
      ProducerRecord<byte[], byte[]> r = factory.record(e, 1_780_000_000_000_000L + e.atNanos() / 1000);
      long size = r.value().length;
      if (wholeRecord) {
        size += r.key().length;
        for (Header h : r.headers()) {
          size += h.key().getBytes(StandardCharsets.UTF_8).length + h.value().length;
        }
      }
      sum[0] += size;
      sum[1]++;
    });
    return (int) Math.round(sum[0] / (double) sum[1]);
  }

  private static double producerPerformance(KafkaTestBroker broker, String topic, long records, int size) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ProducerPerformance.main(new String[] {
          "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(size),
          "--throughput", "-1", "--producer-props", "bootstrap.servers=" + broker.bootstrapServers(), "linger.ms=5",
          "batch.size=65536"});
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    Matcher m = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec").matcher(text);
    List<Double> rates = new ArrayList<>();
    while (m.find()) {
      rates.add(Double.parseDouble(m.group(2)));
    }
    assertThat(rates).as("ProducerPerformance output").isNotEmpty();
    return rates.get(rates.size() - 1);
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaTestBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    p.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true"); // as `loadtest generate` does
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }
}
