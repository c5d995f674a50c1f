package dev.legitscaler.loadtest.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.legitscaler.loadtest.platform.FreePorts;
import dev.legitscaler.loadtest.platform.GaugeExporter;
import dev.legitscaler.loadtest.platform.KafkaBrokerProcess;
import dev.legitscaler.loadtest.platform.PrometheusConfig;
import dev.legitscaler.loadtest.platform.PrometheusProcess;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import dev.legitscaler.loadtest.platform.ScalerProcess;
import dev.legitscaler.loadtest.run.LocalPlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A first look at legit-scaler on one machine: a real Kafka broker with a lagging consumer group, a
 * real Prometheus scraping four instances' load, and the scaler between them, asked through grpcurl
 * exactly as an operator would.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {
      "Starts Kafka, Prometheus and legit-scaler on loopback, creates a lagging consumer group and",
      "four instances' load, and prints the scaler's decision through grpcurl."})
public final class QuickstartCommand implements Callable<Integer> {
  static final String NAMESPACE = "ml";
  static final String NAME = "model";
  static final String TOPIC = "model-requests";
  static final String GROUP = "model";
  static final int PARTITIONS = 6;

  @Option(names = "--scaler-jar", defaultValue = "scaler/target/legit-scaler.jar", description = "legit-scaler jar (default: ${DEFAULT-VALUE})")
  Path scalerJar;

  @Option(names = "--out", defaultValue = "out/quickstart", description = "folder for configs, data and logs (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--prometheus-binary", defaultValue = "prometheus", description = "Prometheus executable (default: ${DEFAULT-VALUE})")
  String prometheusBinary;

  @Option(names = "--grpcurl", defaultValue = "grpcurl", description = "grpcurl executable (default: ${DEFAULT-VALUE})")
  String grpcurl;

  @Option(names = "--load", split = ",", defaultValue = "0.90,0.85,0.80,0.95",
      description = "per-instance saturation ratios served to Prometheus (default: ${DEFAULT-VALUE})")
  List<Double> loads;

  @Option(names = "--lag", defaultValue = "35", description = "records left unconsumed by the consumer group (default: ${DEFAULT-VALUE})")
  int lag;

  @Option(names = "--hold", description = "keep everything running after the demo until standard input closes (for scripted checks)")
  boolean hold;

  @Override
  public Integer call() throws Exception {
    for (double l : loads) {
      if (!(l >= 0 && l <= 1)) {
        System.err.println("--load: every value must be a saturation ratio in [0, 1], got " + l);
        return 2;
      }
    }
    if (lag < 0) {
      System.err.println("--lag: expected an integer >= 0, got " + lag);
      return 2;
    }
    Files.createDirectories(out);
    Duration startTimeout = Duration.ofSeconds(60);
    try (ProcessGroup group = new ProcessGroup()) {
      say("starting Kafka (KRaft, child JVM) ...");
      KafkaBrokerProcess kafka = LocalPlatform.startKafka(group, out.resolve("kafka"), startTimeout, TOPIC, PARTITIONS);
      say("  Kafka at " + kafka.bootstrapServers());
      createLag(kafka.bootstrapServers());
      say("  topic " + TOPIC + " (" + PARTITIONS + " partitions), group '" + GROUP + "' " + lag + " records behind");

      GaugeExporter load = group.add(new GaugeExporter("ml_model_saturation_ratio", "Busy fraction of the instance's worker capacity."));
      for (int i = 0; i < loads.size(); i++) {
        load.set("model-" + i, loads.get(i));
      }
      say("starting Prometheus ...");
      // keep the exporter's own instance labels: they name model replicas, not scrape targets
      PrometheusProcess prom = LocalPlatform.startPrometheus(group, prometheusBinary, out.resolve("prometheus"),
          new PrometheusConfig(Duration.ofSeconds(1), List.of(), List.of(
              PrometheusConfig.ScrapeJob.fixed("model", true, List.of(load.target())).every(Duration.ofSeconds(1))), List.of()),
          startTimeout, FreePorts.next());
      say("  Prometheus at " + prom.baseUrl() + ", scraping " + loads.size() + " instances' " + load.metric());

      say("starting legit-scaler ...");
      ScalerProcess scaler = LocalPlatform.startScaler(group, scalerJar, out.resolve("scaler"), prom.baseUrl(),
          kafka.bootstrapServers(), Duration.ofSeconds(1), Optional.empty(), startTimeout);
      say("  legit-scaler gRPC at " + scaler.grpcAddress() + ", metrics at http://" + scaler.metricsAddress() + "/metrics");

      awaitScrape(prom.baseUrl(), loads.size());
      String ref = scaledObjectRef().toString();
      grpc(scaler, List.of("list"));
      grpc(scaler, List.of("-d", ref, "externalscaler.ExternalScaler/GetMetricSpec"));
      String metricName = metricNameFrom(grpc(scaler, List.of("-d", ref, "externalscaler.ExternalScaler/GetMetricSpec")));
      // the first call creates the Watch; give its refresher a moment to read both backends
      Thread.sleep(3000);
      ObjectNode metricsRequest = JSON.createObjectNode().put("metricName", metricName);
      metricsRequest.set("scaledObjectRef", scaledObjectRef());
      // on a busy machine the first refresh can take longer (the scaler answers Unavailable meanwhile)
      for (int attempt = 1; ; attempt++) {
        try {
          grpc(scaler, List.of("-d", metricsRequest.toString(), "externalscaler.ExternalScaler/GetMetrics"));
          break;
        } catch (IllegalStateException e) {
          if (attempt == 10) {
            throw e;
          }
          say("  the scaler is still warming up; asking again in 2 s");
          Thread.sleep(2000);
        }
      }
      grpc(scaler, List.of("-d", ref, "legitscaler.diagnostics.v1.Diagnostics/Explain"));
      grpc(scaler, List.of("legitscaler.diagnostics.v1.Diagnostics/List"));
      double sum = loads.stream().mapToDouble(Double::doubleValue).sum();
      say(String.format("expected: D_load = %.2f / 0.7 = %.2f, D_lag = %d / 10 = %.1f -> publish clamp(ceil(max), 4, 6) = %d",
          sum, sum / 0.7, lag, lag / 10.0, Math.max(4, Math.min(6, (int) Math.ceil(Math.max(sum / 0.7, lag / 10.0))))));
      if (hold) {
        System.out.println("READY grpc=" + scaler.grpcAddress() + " metrics=" + scaler.metricsAddress()
            + " prometheus=" + prom.baseUrl() + " kafka=" + kafka.bootstrapServers());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().forEach(l -> { });
      }
      say("stopping ... logs are in " + out);
    }
    return 0;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ScaledObjectRef KEDA would send for a ScaledObject with this trigger metadata. */
  static ObjectNode scaledObjectRef() {
    ObjectNode ref = JSON.createObjectNode().put("name", NAME).put("namespace", NAMESPACE);
    ref.putObject("scalerMetadata")
        .put("loadQuery", "ml_model_saturation_ratio").put("targetLoad", "0.7")
        .put("consumerGroup", GROUP).put("topic", TOPIC).put("lagThreshold", "10")
        .put("minReplicas", "4").put("maxReplicas", "6");
    return ref;
  }

  private void createLag(String bootstrap) throws Exception {
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(ap)) {
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
        for (int i = 0; i < lag; i++) {
          producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "client-" + i, "{\"features\": [0.1, 0.2, 0.3]}"));
        }
        producer.flush();
      }
      // The group has consumed nothing: commit offset 0 everywhere, so lag = end offsets.
      Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        commits.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(0));
      }
      admin.alterConsumerGroupOffsets(GROUP, commits).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitScrape(String prometheus, int series) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI uri = java.net.URI.create(prometheus + "/api/v1/query?query=count(ml_model_saturation_ratio)");
    for (int i = 0; i < 100; i++) {
      String body = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains("\"" + series + "\"]")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Prometheus did not scrape the load series within 20 s");
  }

  private String grpc(ScalerProcess scaler, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(grpcurl, "-plaintext"));
    cmd.addAll(args.subList(0, args.size() - 1));
    cmd.add(scaler.grpcAddress());
    cmd.add(args.get(args.size() - 1));
    if (args.size() == 1 && args.get(0).equals("list")) {
      cmd = List.of(grpcurl, "-plaintext", scaler.grpcAddress(), "list");
    }
    System.out.println();
    System.out.println("$ " + String.join(" ", cmd.stream().map(QuickstartCommand::shellQuote).toList()));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run '" + grpcurl + "' (run `make tools` to install grpcurl): " + e.getMessage(), e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    System.out.print(output);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("grpcurl failed with exit code " + p.exitValue());
    }
    return output;
  }

  private static String metricNameFrom(String getMetricSpecJson) throws IOException {
    String name = JSON.readTree(getMetricSpecJson).path("metricSpecs").path(0).path("metricName").asText("");
    if (name.isEmpty()) {
      throw new IllegalStateException("GetMetricSpec returned no metricName: " + getMetricSpecJson);
    }
    return name;
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_./:=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static void say(String line) {
    System.out.println("quickstart: " + line);
  }
}
