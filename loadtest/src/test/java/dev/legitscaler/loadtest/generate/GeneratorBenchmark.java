package dev.legitscaler.loadtest.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.payload.RequestPayload;
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
    int[] rates = {1_000, 5_000, 10_000, 20_000};
    StringBuilder md = new StringBuilder();
    md.append("| target rate (rec/s) | windows | worst window error | mean achieved/target | max behind schedule |\n");
    md.append("|---:|---:|---:|---:|---:|\n");
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
        assertThat(r.errorCount()).isZero();
        assertThat(r.sent()).isEqualTo(r.scheduled());
        List<GeneratorReport.Window> full = r.windows().subList(0, Math.min(windows, r.windows().size()));
        double worst = full.stream().mapToDouble(w -> Math.abs(w.accuracy() - 1)).max().orElse(Double.NaN);
        double mean = full.stream().mapToDouble(GeneratorReport.Window::accuracy).average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "| %,d | %d | %.3f %% | %.4f | %.1f ms |%n", rate, full.size(), worst * 100,
            mean, r.maxBehind().toNanos() / 1e6));
        System.out.printf(Locale.ROOT, "pace rate=%d windows=%s worst_error_pct=%.3f max_behind_ms=%.1f%n", rate,
            full, worst * 100, r.maxBehind().toNanos() / 1e6);
      }

      // peak: ask for far more than can be sent and stop after peakSeconds
      broker.createTopic("bench-peak-gen", PARTITIONS);
      Scenario flood = constantRate(2_000_000, Duration.ofSeconds(peakSeconds * 4L));
      GeneratorReport peak;
      try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
        Generator g = new Generator(TrafficModel.of(flood), 1, flood.duration(), producer, "bench-peak-gen",
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
      double generatorPeak = peak.acked() / (peak.elapsed().toNanos() / 1e9);

      int recordSize = meanPayloadSize(flood);
      broker.createTopic("bench-peak-pp", PARTITIONS);
      long ppRecords = Math.max(100_000, (long) (generatorPeak * peakSeconds));
      double ppRate = producerPerformance(broker, "bench-peak-pp", ppRecords, recordSize);
      double ratio = generatorPeak / ppRate;
      System.out.printf(Locale.ROOT, "peak generator=%.0f rec/s producer_performance=%.0f rec/s ratio=%.3f record_size=%d%n",
          generatorPeak, ppRate, ratio, recordSize);
      assertThat(peak.errorCount()).isZero();

      md.append("\n| peak throughput | records/s |\n|---|---:|\n");
      md.append(String.format(Locale.ROOT, "| loadtest generate (value %d B + key + 4 headers) | %,.0f |%n", recordSize,
          generatorPeak));
      md.append(String.format(Locale.ROOT, "| Kafka ProducerPerformance (--record-size %d) | %,.0f |%n", recordSize, ppRate));
      md.append(String.format(Locale.ROOT, "| ratio | %.3f |%n", ratio));
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

  private static int meanPayloadSize(Scenario s) {
    long[] sum = new long[2];
    TrafficModel.of(s).eventsBetween(Duration.ZERO, Duration.ofMillis(200)).forEach(e -> {
      sum[0] += RequestPayload.forEvent(s.seedOrDefault(), e.eventId(), e.valid()).length;
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
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }
}
