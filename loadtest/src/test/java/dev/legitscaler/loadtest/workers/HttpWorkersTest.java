package dev.legitscaler.loadtest.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.generate.Generator;
import dev.legitscaler.loadtest.model.LogisticModel;
import dev.legitscaler.loadtest.model.ModelMetrics;
import dev.legitscaler.loadtest.model.ModelServer;
import dev.legitscaler.loadtest.model.ModelServerConfig;
import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.payload.RequestPayload;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.testing.KafkaTestBroker;
import dev.legitscaler.loadtest.testing.SlowFailingHttpFixture;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpWorkersTest {

  private static final String SMALL = """
      name: small
      seed: 21
      duration: 20s
      legitimate:
        rate: 40
        activeClients: 30
        arrivals: even
        invalidShare: 0.2
        phases:
          - {kind: steady, name: calm, duration: 10s}
          - {kind: step, name: busy, duration: 10s, to: 2}
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
  void replaysGeneratedTrafficAgainstTheReferenceModelOverHttp() throws Exception {
    broker.createTopic("wk-req", 2);
    broker.createTopic("wk-results", 1);
    Scenario scenario = new ScenarioLoader().parse("small.yaml", SMALL);
    TrafficModel model = TrafficModel.of(scenario);
    List<TrafficEvent> events = model.eventsBetween(Duration.ZERO, scenario.duration()).collect(Collectors.toList());
    long invalid = events.stream().filter(e -> !e.valid()).count();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      new Generator(model, 20, scenario.duration(), producer, "wk-req", MonotonicClock.SYSTEM, Clock.systemUTC(),
          Duration.ofSeconds(1), Duration.ofSeconds(10), p -> { }).run();
    }
    try (ModelServer server = ModelServer.start(new ModelServerConfig(null, "x", "g", null, "127.0.0.1", 0, 4,
        Duration.ofMillis(2), Duration.ofSeconds(2), 10, "http-model", LogisticModel.bundled()), Clock.systemUTC(),
        MonotonicClock.SYSTEM)) {
      HttpWorkers workers = new HttpWorkers(new WorkersConfig(broker.bootstrapServers(), "wk-req", "workers-a",
          URI.create("http://127.0.0.1:" + server.port() + "/predict"), "wk-results", 8, Duration.ofSeconds(5),
          Duration.ofSeconds(2), events.size(), Duration.ofSeconds(5), "w1"), Clock.systemUTC());
      WorkerSummary summary = workers.run();

      assertThat(summary.all().count()).isEqualTo(events.size());
      assertThat(summary.all().count(Outcome.OK)).isEqualTo(events.size() - invalid);
      assertThat(summary.all().count(Outcome.HTTP_4XX)).isEqualTo(invalid);
      assertThat(summary.phases()).containsOnlyKeys("calm", "busy");
      assertThat(summary.phases().get("busy").count()).isGreaterThan(summary.phases().get("calm").count());
      assertThat(summary.all().p50Ms()).isPositive();
      assertThat(summary.all().maxMs()).isGreaterThanOrEqualTo(summary.all().p99Ms());
      assertThat(server.metrics().requests(ModelMetrics.Outcome.OK)).isEqualTo(events.size() - invalid);
      assertThat(server.metrics().requests(ModelMetrics.Outcome.INVALID)).isEqualTo(invalid);
      assertThat(summary.toTable()).contains("calm").contains("busy").contains("http_4xx=" + invalid);

      List<String> results = consume("wk-results", events.size());
      assertThat(results).hasSize(events.size());
      assertThat(results).allMatch(r -> r.contains("\"latencyMs\":") && r.contains("\"clientId\":\""));
      assertThat(results.stream().filter(r -> r.contains("\"status\":400"))).hasSize((int) invalid);
      assertThat(broker.committedTotal("workers-a")).isEqualTo(events.size());
    }
  }

  @Test
  void measuresFromTheIntendedSendTimeAndClassifiesTimeoutsAndServerErrors() throws Exception {
    broker.createTopic("wk-faults", 1);
    long intended = micros(Instant.now());
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      // all 16 requests were meant to be sent at the same instant
      for (int i = 0; i < 16; i++) {
        String kind = i < 10 ? "ok" : i < 13 ? "fail" : "slow";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("wk-faults", null, RequestPayload.forEvent(1, i, true));
        r.headers().add(RequestHeaders.CLIENT_ID, RequestHeaders.utf8(kind + "-" + i));
        r.headers().add(RequestHeaders.SEND_TS, RequestHeaders.utf8(Long.toString(intended)));
        r.headers().add(RequestHeaders.PHASE, RequestHeaders.utf8(kind));
        producer.send(r);
      }
    }
    try (SlowFailingHttpFixture target = new SlowFailingHttpFixture(Duration.ofMillis(100), Duration.ofSeconds(3))) {
      // one request at a time: the fixture's 100 ms answers queue up behind each other
      HttpWorkers workers = new HttpWorkers(new WorkersConfig(broker.bootstrapServers(), "wk-faults", "workers-b",
          target.predictUrl(), null, 1, Duration.ofMillis(300), Duration.ofSeconds(1), 16, Duration.ofSeconds(5), "w2"),
          Clock.systemUTC());
      WorkerSummary summary = workers.run();

      assertThat(summary.all().count()).isEqualTo(16);
      assertThat(summary.phases().get("ok").count(Outcome.OK)).isEqualTo(10);
      assertThat(summary.phases().get("fail").count(Outcome.HTTP_5XX)).isEqualTo(3);
      assertThat(summary.phases().get("slow").count(Outcome.TIMEOUT)).isEqualTo(3);
      assertThat(summary.all().errorRates()).containsKeys("http_5xx", "timeout");
      // each OK answer takes ~100 ms, but the tenth waited for the nine before it: latency from the
      // intended time shows that queueing (a closed-loop measure would report ~100 ms throughout)
      assertThat(summary.phases().get("ok").maxMs()).isGreaterThan(900);
      assertThat(summary.phases().get("ok").p50Ms()).isGreaterThan(100);
      assertThat(summary.phases().get("slow").maxMs()).isGreaterThan(summary.phases().get("ok").maxMs());
    }
  }

  @Test
  void anUnreachableTargetIsCountedAsConnectErrors() throws Exception {
    broker.createTopic("wk-down", 1);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>("wk-down", "10.1.1.1".getBytes(StandardCharsets.UTF_8),
            RequestPayload.forEvent(1, i, true)));
      }
    }
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HttpWorkers workers = new HttpWorkers(new WorkersConfig(broker.bootstrapServers(), "wk-down", "workers-c",
        URI.create("http://127.0.0.1:" + closedPort + "/predict"), null, 2, Duration.ofSeconds(1), Duration.ofSeconds(1),
        3, Duration.ofSeconds(5), "w3"), Clock.systemUTC());
    WorkerSummary summary = workers.run();
    assertThat(summary.all().count(Outcome.CONNECT)).isEqualTo(3);
    assertThat(summary.phases()).containsOnlyKeys("none");
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private List<String> consume(String topic, int expected) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
      }
      consumer.poll(Duration.ofMillis(300)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
