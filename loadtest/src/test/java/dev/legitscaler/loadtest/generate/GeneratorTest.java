package dev.legitscaler.loadtest.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.legitscaler.loadtest.Main;
import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.payload.RequestPayload;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.testing.KafkaTestBroker;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorTest {

  static final String SMALL = """
      name: small
      seed: 11
      duration: 20s
      timeScale: 4
      legitimate:
        rate: 150
        activeClients: 40
        arrivals: even
        invalidShare: 0.1
        phases:
          - {kind: steady, name: calm, duration: 10s}
          - {kind: step, name: busy, duration: 10s, to: 2}
      attacks:
        - {name: flood, start: 12s, end: 16s, sources: 2, ratePerSource: 100, invalidShare: 0.5}
      """;

  private KafkaTestBroker broker;

  @BeforeAll
  void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
  }

  @AfterAll
  void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void publishesExactlyTheModelsEventsWithHeadersPayloadsAndIntendedTimes() throws Exception {
    broker.createTopic("gen-a", 3);
    Scenario scenario = new ScenarioLoader().parse("small.yaml", SMALL);
    TrafficModel model = TrafficModel.of(scenario);
    Instant before = Instant.now();
    GeneratorReport report;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      report = new Generator(model, scenario.timeScaleOrDefault(), scenario.duration(), producer, "gen-a",
          MonotonicClock.SYSTEM, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1), p -> { }).run();
    }
    List<TrafficEvent> expected = model.eventsBetween(Duration.ZERO, scenario.duration()).collect(Collectors.toList());

    assertThat(report.scheduled()).isEqualTo(expected.size());
    assertThat(report.sent()).isEqualTo(expected.size());
    assertThat(report.acked()).isEqualTo(expected.size());
    assertThat(report.errorCount()).isZero();
    assertThat(report.stoppedEarly()).isFalse();
    // 20 s of scenario at time scale 4 lasts 5 s of wall time; loose sanity only
    assertThat(report.elapsed()).isBetween(Duration.ofMillis(4900), Duration.ofSeconds(30));

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll("gen-a", expected.size());
    assertThat(records).hasSize(expected.size());
    // spread in turn over the 3 partitions: the producer's sticky partitioner would fill one at a time
    Map<Integer, Long> perPartition = records.stream()
        .collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
    assertThat(perPartition).hasSize(3);
    assertThat(perPartition.values().stream().mapToLong(Long::longValue).max().orElseThrow()
        - perPartition.values().stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThanOrEqualTo(1);
    Map<Long, ConsumerRecord<byte[], byte[]>> byEvent = records.stream().collect(Collectors.toMap(
        r -> Long.parseLong(RequestHeaders.text(r.headers(), RequestHeaders.EVENT_ID)), Function.identity()));
    long firstSendTs = records.stream().mapToLong(r -> RequestHeaders.sendTimestampMicros(r.headers())).min().orElseThrow();
    TrafficEvent first = expected.get(0);
    long startMicros = firstSendTs - first.atNanos() / 4 / 1000;
    assertThat(startMicros).isBetween(micros(before) - 1_000_000, micros(before) + 5_000_000);
    for (TrafficEvent e : expected) {
      ConsumerRecord<byte[], byte[]> r = byEvent.get(e.eventId());
      assertThat(r).as("event %d", e.eventId()).isNotNull();
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.clientId());
      assertThat(RequestHeaders.text(r.headers(), RequestHeaders.CLIENT_ID)).isEqualTo(e.clientId());
      assertThat(RequestHeaders.text(r.headers(), RequestHeaders.PHASE)).isEqualTo(e.phase());
      // the intended send time, not the actual one: start + scenario time / time scale
      assertThat(RequestHeaders.sendTimestampMicros(r.headers())).isCloseTo(startMicros + e.atNanos() / 4 / 1000,
          within(1L));
      assertThat(isValid(r.value())).isEqualTo(e.valid());
      // the gateway's schema verdict, which the scaler's legitimacyValidityHeader reads
      assertThat(RequestHeaders.text(r.headers(), RequestHeaders.VALID)).isEqualTo(Boolean.toString(e.valid()));
      assertThat(r.value()).isEqualTo(RequestPayload.forEvent(11, e.eventId(), e.valid()));
    }
    assertThat(records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
        .noneMatch(v -> v.contains("attack") || v.contains("flood"));
  }

  @Test
  void theProgressReportsTargetAndAchievedRatesAndStopEndsTheRunEarly() throws Exception {
    broker.createTopic("gen-b", 1);
    Scenario scenario = new ScenarioLoader().parse("small.yaml", SMALL).withTimeScale(1);
    List<Generator.Progress> progress = new ArrayList<>();
    GeneratorReport report;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      Generator generator = new Generator(TrafficModel.of(scenario), 1, scenario.duration(), producer, "gen-b",
          MonotonicClock.SYSTEM, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofMillis(500), progress::add);
      Thread stopper = new Thread(() -> {
        try {
          Thread.sleep(2500);
        } catch (InterruptedException e) {
          return;
        }
        generator.stop();
      });
      stopper.start();
      report = generator.run();
      stopper.join();
    }
    assertThat(report.stoppedEarly()).isTrue();
    assertThat(report.sent()).isLessThan(TrafficModel.of(scenario).eventsBetween(Duration.ZERO, scenario.duration()).count());
    assertThat(report.acked()).isEqualTo(report.sent());
    assertThat(progress).isNotEmpty();
    Generator.Progress p = progress.get(progress.size() - 1);
    assertThat(p.phase()).isEqualTo("calm");
    assertThat(p.targetRate()).isEqualTo(150.0);
    assertThat(p.achievedRate()).isBetween(50.0, 400.0);
  }

  @Test
  void theCommandRejectsAnInvalidScenarioBeforeConnectingAnywhere(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, SMALL.replace("ratePerSource: 100", "ratePerSource: -100"));
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("generate", file.toString(), "--bootstrap-servers", "127.0.0.1:1", "--topic", "never");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains(file + ":14:").contains("attacks[0].ratePerSource: must be > 0");
  }

  @Test
  void theCommandPublishesABuiltInScenarioAndDryRunSimulatesOffline() throws Exception {
    StringWriter out = new StringWriter();
    int dry = Main.commandLine().setOut(new PrintWriter(out)).execute("generate", "botnet", "--dry-run");
    assertThat(dry).isZero();
    assertThat(out.toString()).contains("scenario botnet: valid").contains("botnet").contains("legitimate");

    broker.createTopic("gen-c", 2);
    StringWriter run = new StringWriter();
    StringWriter progress = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(run)).setErr(new PrintWriter(progress)).execute("generate",
        "demo", "--bootstrap-servers", broker.bootstrapServers(), "--topic", "gen-c", "--duration", "15s",
        "--time-scale", "10", "--progress-interval", "500ms");
    assertThat(code).isZero();
    assertThat(run.toString()).contains("generate start scenario=demo").containsPattern("generate done scheduled=(\\d+) sent=\\1 acked=\\1 errors=0");
    long expected = TrafficModel.of(new ScenarioLoader().loadBuiltIn("demo")).eventsBetween(Duration.ZERO,
        Duration.ofSeconds(15)).count();
    assertThat(run.toString()).contains("scheduled=" + expected + " ");
    assertThat(consumeAll("gen-c", (int) expected)).hasSize((int) expected);
  }

  private static boolean isValid(byte[] body) {
    try {
      RequestPayload.parse(body);
      return true;
    } catch (RequestPayload.InvalidPayloadException e) {
      return false;
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    out.sort(Comparator.comparingLong(ConsumerRecord::offset));
    return out;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
