package dev.legitscaler.loadtest.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.legitscaler.loadtest.Main;
import dev.legitscaler.loadtest.mlflow.MlflowClient;
import dev.legitscaler.loadtest.platform.FreePorts;
import dev.legitscaler.loadtest.testing.MlflowServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `evaluate --mlflow-uri` against a real MLflow tracking server. */
class EvaluateMlflowTest {
  private static final String MANIFEST = "../manifests/examples/scaledobject.yaml";
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

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void logsTheFinishedRunWithParamsMetricsSeriesTagsAndArtifacts(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "evaluate", "few-source-flood", "--duration", "4m", "--out", dir.toString(),
        "--scaled-object", MANIFEST, "--mlflow-uri", mlflow.uri().toString(), "--mlflow-experiment", "evaluate-test",
        "--model-name", "churn", "--model-version", "7");
    assertThat(code).as(err.toString()).isIn(0, 1);
    Matcher m = Pattern.compile("mlflow: logged run (\\S+)").matcher(out.toString());
    assertThat(m.find()).as(out.toString() + err).isTrue();

    MlflowClient client = new MlflowClient(mlflow.uri(), MlflowClient.RetryPolicy.standard(), Clock.systemUTC());
    JsonNode run = client.getRun(m.group(1));
    assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
    Map<String, String> params = new HashMap<>();
    run.path("data").path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
    assertThat(params).containsEntry("scenario", "few-source-flood").containsEntry("durationSeconds", "240")
        .containsEntry("legitimacySource", "kafka").containsKey("capacityPerReplica");
    Map<String, String> tags = new HashMap<>();
    run.path("data").path("tags").forEach(p -> tags.put(p.path("key").asText(), p.path("value").asText()));
    assertThat(tags).containsEntry("legitscaler.model_name", "churn").containsEntry("legitscaler.model_version", "7");
    Map<String, Double> metrics = new HashMap<>();
    run.path("data").path("metrics").forEach(p -> metrics.put(p.path("key").asText(), p.path("value").asDouble()));
    assertThat(metrics).containsKey("summary.legit.wastedReplicaMinutes").containsKey("summary.detectionDelaySeconds");
    assertThat(client.metricHistory(m.group(1), "replicas")).hasSize(240);
    assertThat(client.listArtifacts(m.group(1))).contains("summary.json", "timeseries.csv");
  }

  @Test
  void anUnreachableServerWarnsExitsThreeAndKeepsTheLocalResults(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path s = dir.resolve("s.yaml");
    Files.writeString(s, """
        name: short-steady
        duration: 1m
        legitimate: {rate: 300, activeClients: 1000, phases: [{kind: steady, duration: 1m}]}
        expectations: {replicas: {min: 4, max: 6}}
        """);
    int code = run(out, err, "evaluate", s.toString(), "--out", dir.resolve("out").toString(), "--scaled-object", MANIFEST,
        "--mlflow-uri", "http://127.0.0.1:" + FreePorts.next());
    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("warning: MLflow logging failed");
    assertThat(dir.resolve("out/summary.json")).exists();
    assertThat(dir.resolve("out/timeseries.csv")).exists();
  }
}
