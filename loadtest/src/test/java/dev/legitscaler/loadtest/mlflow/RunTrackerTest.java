package dev.legitscaler.loadtest.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.legitscaler.loadtest.testing.MlflowServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs a run folder to a real MLflow tracking server and reads everything back. */
class RunTrackerTest {
  static MlflowServer mlflow;

  @BeforeAll
  static void startMlflow(@TempDir Path dir) throws Exception {
    mlflow = MlflowServer.start(dir.resolve("mlflow"));
  }

  @AfterAll
  static void stopMlflow() {
    if (mlflow != null) {
      mlflow.close();
    }
  }

  static Path runFolder(Path dir, int seconds) throws Exception {
    Files.writeString(dir.resolve("summary.json"), """
        {"params": {"scenario": "flash-crowd-3x", "seed": 42, "scaler": {"targetLoad": "0.7"}},
         "scenario": "flash-crowd-3x",
         "legit": {"wastedReplicaMinutes": 1.5, "underProvisionedReplicaMinutes": 0.25},
         "naive": {"wastedReplicaMinutes": 30.0},
         "detectionDelaySeconds": 12,
         "expectationsPassed": true,
         "expectations": [{"name": "replicas-within-bounds", "passed": true}, {"name": "p95-latency", "passed": false}]}
        """);
    StringBuilder csv = new StringBuilder("t_seconds,replicas,published_value,legitimacy_score,phase\n");
    for (int t = 0; t < seconds; t++) {
      csv.append(t).append(',').append(4 + (t / 100) % 3).append(',').append(4 + (t / 100) % 3).append(',')
          .append(t % 7 == 0 ? "" : "0.98").append(",steady\n");
    }
    Files.writeString(dir.resolve("timeseries.csv"), csv);
    Files.writeString(dir.resolve("report.html"), "<html><body>report</body></html>");
    return dir;
  }

  @Test
  void logsParamsSummariesSeriesTagsAndArtifacts(@TempDir Path dir) throws Exception {
    // 1,500 points per series x 3 series: more than one log-batch request must be sent
    runFolder(dir, 1500);
    MlflowClient client = new MlflowClient(mlflow.uri(), MlflowClient.RetryPolicy.standard(), Clock.systemUTC());
    RunTracker.Logged logged = new RunTracker(client, Clock.systemUTC()).log(new RunTracker.Request(dir, "load-tests",
        "flash-crowd", Map.of("timeScale", "10"), Map.of("legitscaler.model_name", "churn", "legitscaler.model_version", "3")));

    JsonNode run = client.getRun(logged.runId());
    assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
    Map<String, String> params = new HashMap<>();
    run.path("data").path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
    assertThat(params).containsEntry("scenario", "flash-crowd-3x").containsEntry("seed", "42")
        .containsEntry("scaler.targetLoad", "0.7").containsEntry("timeScale", "10");
    Map<String, String> tags = new HashMap<>();
    run.path("data").path("tags").forEach(p -> tags.put(p.path("key").asText(), p.path("value").asText()));
    assertThat(tags).containsEntry("legitscaler.model_name", "churn").containsEntry("legitscaler.model_version", "3");

    Map<String, Double> latest = new HashMap<>();
    run.path("data").path("metrics").forEach(m -> latest.put(m.path("key").asText(), m.path("value").asDouble()));
    assertThat(latest).containsEntry("summary.legit.wastedReplicaMinutes", 1.5)
        .containsEntry("summary.naive.wastedReplicaMinutes", 30.0)
        .containsEntry("summary.expectationsPassed", 1.0)
        .containsEntry("summary.expectations.p95-latency", 0.0)
        .containsEntry("summary.expectations.passed", 1.0)
        .containsEntry("summary.expectations.failed", 1.0);
    assertThat(latest).doesNotContainKey("phase");

    List<MlflowClient.Metric> replicas = client.metricHistory(logged.runId(), "replicas");
    assertThat(replicas).hasSize(1500);
    assertThat(replicas).allSatisfy(m -> assertThat(m.value()).isEqualTo(4 + (m.step() / 100) % 3));
    // empty cells are samples that do not exist, not zeros
    assertThat(client.metricHistory(logged.runId(), "legitimacy_score")).hasSize(1500 - (1500 + 6) / 7);

    assertThat(client.listArtifacts(logged.runId())).containsExactlyInAnyOrder("report.html", "summary.json", "timeseries.csv");
    try (var files = Files.walk(mlflow.artifactsDir())) {
      Path stored = files.filter(p -> p.getFileName().toString().equals("summary.json")).findFirst().orElseThrow();
      assertThat(Files.readString(stored)).isEqualTo(Files.readString(dir.resolve("summary.json")));
    }
  }

  @Test
  void retriesTransientFailuresThenSucceeds(@TempDir Path dir) throws Exception {
    runFolder(dir, 10);
    // A proxy that answers 503 to every second request, forwarding the others to the real server.
    AtomicInteger calls = new AtomicInteger();
    HttpServer flakyProxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    flakyProxy.createContext("/", ex -> {
      byte[] reqBody = ex.getRequestBody().readAllBytes();
      if (calls.incrementAndGet() % 2 == 1) {
        ex.sendResponseHeaders(503, -1);
        ex.close();
        return;
      }
      try {
        var fwd = java.net.http.HttpRequest.newBuilder(mlflow.uri().resolve(ex.getRequestURI().toString()))
            .header("Content-Type", ex.getRequestHeaders().getFirst("Content-Type"))
            .method(ex.getRequestMethod(), java.net.http.HttpRequest.BodyPublishers.ofByteArray(reqBody)).build();
        var r = http.send(fwd, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        ex.getResponseBody().write(r.body());
      } catch (InterruptedException e) {
        ex.sendResponseHeaders(500, -1);
      }
      ex.close();
    });
    flakyProxy.start();
    try {
      URI proxy = URI.create("http://127.0.0.1:" + flakyProxy.getAddress().getPort());
      MlflowClient client = new MlflowClient(proxy, new MlflowClient.RetryPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(10)), Clock.systemUTC());
      RunTracker.Logged logged = new RunTracker(client, Clock.systemUTC())
          .log(new RunTracker.Request(dir, "flaky", "retry", Map.of(), Map.of()));
      MlflowClient direct = new MlflowClient(mlflow.uri(), MlflowClient.RetryPolicy.standard(), Clock.systemUTC());
      assertThat(direct.metricHistory(logged.runId(), "replicas")).hasSize(10);
      assertThat(calls.get()).isGreaterThan(10);
    } finally {
      flakyProxy.stop(0);
    }
  }

  @Test
  void unreachableServerFailsWithoutTouchingLocalResults(@TempDir Path dir) throws Exception {
    runFolder(dir, 5);
    Map<String, byte[]> before = new HashMap<>();
    for (String f : RunResults.ARTIFACT_NAMES) {
      before.put(f, Files.readAllBytes(dir.resolve(f)));
    }
    URI nothing = URI.create("http://127.0.0.1:" + dev.legitscaler.loadtest.platform.FreePorts.next());
    MlflowClient client = new MlflowClient(nothing, new MlflowClient.RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(2)), Clock.systemUTC());
    assertThatThrownBy(() -> new RunTracker(client, Clock.systemUTC()).log(new RunTracker.Request(dir, "x", "x", Map.of(), Map.of())))
        .isInstanceOf(MlflowException.class).hasMessageContaining("did not answer");
    List<String> unchanged = new ArrayList<>();
    for (String f : RunResults.ARTIFACT_NAMES) {
      if (java.util.Arrays.equals(before.get(f), Files.readAllBytes(dir.resolve(f)))) {
        unchanged.add(f);
      }
    }
    assertThat(unchanged).containsExactlyInAnyOrderElementsOf(RunResults.ARTIFACT_NAMES);
  }

  @Test
  void missingSummaryIsAClearError(@TempDir Path dir) {
    MlflowClient client = new MlflowClient(mlflow.uri(), MlflowClient.RetryPolicy.standard(), Clock.systemUTC());
    assertThatThrownBy(() -> new RunTracker(client, Clock.systemUTC()).log(new RunTracker.Request(dir, "x", "x", Map.of(), Map.of())))
        .hasMessageContaining("no summary.json").hasMessageContaining("loadtest run");
  }
}
