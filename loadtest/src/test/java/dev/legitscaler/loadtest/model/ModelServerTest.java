package dev.legitscaler.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.payload.RequestPayload;
import dev.legitscaler.loadtest.testing.KafkaTestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
class ModelServerTest {

  private KafkaTestBroker broker;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startBroker() throws Exception {
    broker = KafkaTestBroker.start();
  }

  @AfterAll
  void stopBroker() throws Exception {
    broker.close();
  }

  private ModelServerConfig config(String topic, String group, String predictions, int slots, Duration service) {
    return new ModelServerConfig(broker.bootstrapServers(), topic, group, predictions, "127.0.0.1", 0, slots, service,
        Duration.ofSeconds(2), 50, "model-" + topic, LogisticModel.bundled());
  }

  @Test
  void theBundledModelIsARealLogisticRegression() {
    LogisticModel m = LogisticModel.bundled();
    assertThat(m.featureCount()).isEqualTo(RequestPayload.FEATURES);
    double[] zero = new double[RequestPayload.FEATURES];
    assertThat(m.predict(zero)).isCloseTo(1 / (1 + Math.exp(0.25)), within(1e-12));
    double[] x = zero.clone();
    x[3] = 1;
    assertThat(m.predict(x)).isGreaterThan(m.predict(zero));
  }

  @Test
  void servesKafkaRecordsCountsInvalidOnesAnswersOnThePredictionsTopicAndCommits() throws Exception {
    broker.createTopic("req-a", 2);
    broker.createTopic("pred-a", 1);
    try (ModelServer server = ModelServer.start(config("req-a", "model-a", "pred-a", 4, Duration.ofMillis(2)),
        Clock.systemUTC(), MonotonicClock.SYSTEM)) {
      int valid = 60;
      int invalid = 15;
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < valid + invalid; i++) {
          boolean ok = i < valid;
          ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("req-a", ("c" + i % 7).getBytes(StandardCharsets.UTF_8),
              RequestPayload.forEvent(5, i, ok));
          r.headers().add(RequestHeaders.CLIENT_ID, RequestHeaders.utf8("10.0.0." + i % 7));
          r.headers().add(RequestHeaders.SEND_TS, RequestHeaders.utf8(Long.toString(micros(Instant.now()))));
          producer.send(r);
        }
        // not even JSON, no headers at all: must be counted, never crash the loop
        producer.send(new ProducerRecord<>("req-a", null, new byte[] {(byte) 0xff, 0, 1}));
        producer.send(new ProducerRecord<>("req-a", null, null));
      }
      awaitCondition(() -> server.metrics().requests(ModelMetrics.Outcome.OK)
          + server.metrics().requests(ModelMetrics.Outcome.INVALID) >= valid + invalid + 2, Duration.ofSeconds(60));

      assertThat(server.metrics().requests(ModelMetrics.Outcome.OK)).isEqualTo(valid);
      assertThat(server.metrics().requests(ModelMetrics.Outcome.INVALID)).isEqualTo(invalid + 2);
      assertThat(server.metrics().requests(ModelMetrics.Outcome.ERROR)).isZero();
      List<ConsumerRecord<byte[], byte[]>> predictions = consume("pred-a", valid, Duration.ofSeconds(30));
      assertThat(predictions).hasSize(valid);
      String body = new String(predictions.get(0).value(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"score\":").contains("\"label\":");
      assertThat(RequestHeaders.text(predictions.get(0).headers(), RequestHeaders.CLIENT_ID)).startsWith("10.0.0.");
      awaitCondition(() -> committed("model-a") == valid + invalid + 2, Duration.ofSeconds(30));

      String metrics = get(server.port(), "/metrics");
      assertThat(metrics).contains("ml_model_requests_total{outcome=\"ok\"} 60.0")
          .contains("ml_model_requests_total{outcome=\"invalid\"} 17.0")
          .contains("ml_model_requests_total{outcome=\"error\"} 0.0")
          .contains("ml_model_saturation_ratio ")
          .contains("ml_model_request_duration_seconds_bucket{le=")
          .contains("ml_model_request_duration_seconds_count 77");
    }
  }

  @Test
  void answersOverHttpWithTheSameOutcomes() throws Exception {
    try (ModelServer server = ModelServer.start(new ModelServerConfig(null, "x", "g", null, "127.0.0.1", 0, 2,
        Duration.ofMillis(1), Duration.ofSeconds(2), 10, "http-only", LogisticModel.bundled()),
        Clock.systemUTC(), MonotonicClock.SYSTEM)) {
      HttpResponse<String> ok = post(server.port(), RequestPayload.forEvent(1, 1, true));
      HttpResponse<String> bad = post(server.port(), "{\"features\":[1,2]}".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
          + "/predict")).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"score\":0.");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("expected 8 features");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(server.metrics().requests(ModelMetrics.Outcome.OK)).isEqualTo(1);
      assertThat(server.metrics().requests(ModelMetrics.Outcome.INVALID)).isEqualTo(1);
      assertThat(server.readyLine()).matches("model-server ready instance=http-only port=\\d+ .*");
    }
  }

  @Test
  void saturationFollowsTheBusyShareOfTheWorkerSlots() throws Exception {
    // 2 slots x 50 ms = 40 req/s capacity; 4 concurrent callers keep both slots busy all the time
    try (ModelServer server = ModelServer.start(new ModelServerConfig(null, "x", "g", null, "127.0.0.1", 0, 2,
        Duration.ofMillis(50), Duration.ofSeconds(1), 10, "saturation", LogisticModel.bundled()),
        Clock.systemUTC(), MonotonicClock.SYSTEM)) {
      assertThat(server.saturation()).isZero();
      long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
      List<CompletableFuture<Void>> callers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        callers.add(CompletableFuture.runAsync(() -> {
          while (System.nanoTime() < until) {
            try {
              post(server.port(), RequestPayload.forEvent(2, 3, true));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }));
      }
      CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).join();
      double busy = server.saturation();
      assertThat(busy).isGreaterThan(0.8).isLessThanOrEqualTo(1.0);
      awaitCondition(() -> server.saturation() < 0.05, Duration.ofSeconds(10));
    }
  }

  @Test
  void aStoppedInstanceHasCommittedWhatItServedAndAnotherInstanceTakesOverTheRest() throws Exception {
    broker.createTopic("req-b", 1);
    int total = 200;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < total; i++) {
        producer.send(new ProducerRecord<>("req-b", null, RequestPayload.forEvent(9, i, true)));
      }
    }
    // 1 slot x 20 ms: ~50 req/s, so the first instance is stopped mid-way
    ModelServer first = ModelServer.start(config("req-b", "model-b", null, 1, Duration.ofMillis(20)),
        Clock.systemUTC(), MonotonicClock.SYSTEM);
    awaitCondition(() -> first.metrics().requests(ModelMetrics.Outcome.OK) >= 30, Duration.ofSeconds(60));
    first.close();
    long servedByFirst = (long) first.metrics().requests(ModelMetrics.Outcome.OK);
    assertThat(committed("model-b")).isEqualTo(servedByFirst);
    assertThat(servedByFirst).isLessThan(total);

    try (ModelServer second = ModelServer.start(config("req-b", "model-b", null, 4, Duration.ofMillis(1)),
        Clock.systemUTC(), MonotonicClock.SYSTEM)) {
      awaitCondition(() -> committed("model-b") == total, Duration.ofSeconds(60));
      assertThat((long) second.metrics().requests(ModelMetrics.Outcome.OK)).isEqualTo(total - servedByFirst);
    }
  }

  @Test
  void twoInstancesOnOneMachineGetTheirOwnPortsAndMetrics() throws Exception {
    try (ModelServer a = ModelServer.start(new ModelServerConfig(null, "x", "g", null, "127.0.0.1", 0, 1,
        Duration.ofMillis(1), Duration.ofSeconds(1), 10, "a", LogisticModel.bundled()), Clock.systemUTC(),
        MonotonicClock.SYSTEM);
        ModelServer b = ModelServer.start(new ModelServerConfig(null, "x", "g", null, "127.0.0.1", 0, 1,
            Duration.ofMillis(1), Duration.ofSeconds(1), 10, "b", LogisticModel.bundled()), Clock.systemUTC(),
            MonotonicClock.SYSTEM)) {
      post(a.port(), RequestPayload.forEvent(1, 1, true));
      assertThat(a.port()).isNotEqualTo(b.port());
      assertThat(a.metrics().requests(ModelMetrics.Outcome.OK)).isEqualTo(1);
      assertThat(b.metrics().requests(ModelMetrics.Outcome.OK)).isZero();
    }
  }

  @Test
  void theCommandPrintsOneParseableReadyLineAndCommitsOnSigterm() throws Exception {
    broker.createTopic("req-cli", 1);
    int total = 400;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < total; i++) {
        producer.send(new ProducerRecord<>("req-cli", null, RequestPayload.forEvent(4, i, true)));
      }
    }
    // a separate JVM, as the platform runs replicas; 1 slot x 25 ms = 40 req/s, so SIGTERM lands mid-way
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.legitscaler.loadtest.Main", "model-server",
        "--bootstrap-servers", broker.bootstrapServers(), "--topic", "req-cli", "--group", "model-cli",
        "--predictions-topic", "none", "--slots", "1", "--service-time", "25ms", "--port", "0", "--instance", "cli")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String ready = out.readLine();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^model-server ready instance=cli port=(\\d+) .*")
          .matcher(String.valueOf(ready));
      assertThat(m.matches()).as(ready).isTrue();
      int port = Integer.parseInt(m.group(1));
      awaitCondition(() -> okCount(port) >= 40, Duration.ofSeconds(60));

      process.toHandle().destroy(); // SIGTERM, leaving our end of its stdout open
      assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String stopped = out.readLine();
      java.util.regex.Matcher s = java.util.regex.Pattern.compile("^model-server stopped instance=cli ok=(\\d+)$")
          .matcher(String.valueOf(stopped));
      assertThat(s.matches()).as(stopped).isTrue();
      long served = Long.parseLong(s.group(1));
      assertThat(served).isBetween(40L, (long) total - 1);
      assertThat(committed("model-cli")).isEqualTo(served);
    } finally {
      process.destroyForcibly();
    }
  }

  private double okCount(int port) {
    try {
      return get(port, "/metrics").lines().filter(l -> l.startsWith("ml_model_requests_total{outcome=\"ok\"}"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (Exception e) {
      return 0;
    }
  }

  private long committed(String group) {
    try {
      return broker.committedTotal(group);
    } catch (Exception e) {
      return -1;
    }
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int atLeast, Duration timeout) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // a little longer, to catch duplicates
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  private HttpResponse<String> post(int port, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
