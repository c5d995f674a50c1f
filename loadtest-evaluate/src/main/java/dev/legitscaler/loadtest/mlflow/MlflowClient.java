package dev.legitscaler.loadtest.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of MLflow's REST API (2.0) that tracking a load-test run needs: experiments, runs,
 * log-batch, artifacts through the tracking server's artifact proxy, and metric history for reading
 * back. Transient failures (no answer, 429, 5xx) are retried with exponential back-off; anything else
 * fails at once with MLflow's own message.
 */
public final class MlflowClient {
  /** MLflow's log-batch limits: 1000 metrics, 100 params, 100 tags, 1000 entries in all per request. */
  static final int MAX_METRICS = 1000;
  static final int MAX_PARAMS = 100;
  static final int MAX_TAGS = 100;

  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final RetryPolicy retry;
  private final Clock clock;

  public record RetryPolicy(int attempts, Duration firstBackoff, Duration timeout) {
    public static RetryPolicy standard() {
      return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(15));
    }
  }

  public record Metric(String key, double value, long timestampMillis, long step) {}

  public record RunInfo(String runId, String experimentId, String artifactUri) {}

  public MlflowClient(URI trackingUri, RetryPolicy retry, Clock clock) {
    String s = trackingUri.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.retry = retry;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(retry.timeout()).build();
  }

  /** The id of the named experiment, created when missing. */
  public String experimentId(String name) throws MlflowException {
    try {
      JsonNode r = call("GET", "api/2.0/mlflow/experiments/get-by-name?experiment_name=" + enc(name), null);
      return r.path("experiment").path("experiment_id").asText();
    } catch (MlflowException e) {
      if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
        throw e;
      }
    }
    ObjectNode body = json.createObjectNode().put("name", name);
    return call("POST", "api/2.0/mlflow/experiments/create", body).path("experiment_id").asText();
  }

  public RunInfo createRun(String experimentId, String runName, Map<String, String> tags) throws MlflowException {
    ObjectNode body = json.createObjectNode()
        .put("experiment_id", experimentId)
        .put("run_name", runName)
        .put("start_time", clock.millis());
    ArrayNode t = body.putArray("tags");
    tags.forEach((k, v) -> t.addObject().put("key", k).put("value", v));
    JsonNode info = call("POST", "api/2.0/mlflow/runs/create", body).path("run").path("info");
    return new RunInfo(info.path("run_id").asText(), info.path("experiment_id").asText(), info.path("artifact_uri").asText());
  }

  /** Logs everything, split into as many log-batch requests as MLflow's limits require. */
  public void logBatch(String runId, Map<String, String> params, List<Metric> metrics, Map<String, String> tags)
      throws MlflowException {
    List<Map.Entry<String, String>> p = new ArrayList<>(params.entrySet());
    List<Map.Entry<String, String>> t = new ArrayList<>(tags.entrySet());
    int pi = 0;
    int ti = 0;
    int mi = 0;
    while (pi < p.size() || ti < t.size() || mi < metrics.size()) {
      ObjectNode body = json.createObjectNode().put("run_id", runId);
      int budget = 1000;
      ArrayNode pa = body.putArray("params");
      for (int n = 0; pi < p.size() && n < MAX_PARAMS && budget > 0; n++, pi++, budget--) {
        pa.addObject().put("key", p.get(pi).getKey()).put("value", p.get(pi).getValue());
      }
      ArrayNode ta = body.putArray("tags");
      for (int n = 0; ti < t.size() && n < MAX_TAGS && budget > 0; n++, ti++, budget--) {
        ta.addObject().put("key", t.get(ti).getKey()).put("value", t.get(ti).getValue());
      }
      ArrayNode ma = body.putArray("metrics");
      for (int n = 0; mi < metrics.size() && n < MAX_METRICS && budget > 0; n++, mi++, budget--) {
        Metric m = metrics.get(mi);
        ma.addObject().put("key", m.key()).put("value", m.value()).put("timestamp", m.timestampMillis()).put("step", m.step());
      }
      call("POST", "api/2.0/mlflow/runs/log-batch", body);
    }
  }

  public void finishRun(String runId, boolean success) throws MlflowException {
    ObjectNode body = json.createObjectNode().put("run_id", runId)
        .put("status", success ? "FINISHED" : "FAILED").put("end_time", clock.millis());
    call("POST", "api/2.0/mlflow/runs/update", body);
  }

  /**
   * Uploads one file under the run's artifact root. Runs whose artifact URI is
   * {@code mlflow-artifacts:/...} go through the server's artifact proxy (the default of
   * {@code mlflow server}); a local {@code file:} root (server on this machine) is written directly.
   */
  public void uploadArtifact(RunInfo run, Path file, String artifactPath) throws MlflowException {
    String root = run.artifactUri();
    String name = artifactPath.isEmpty() ? file.getFileName().toString() : artifactPath + "/" + file.getFileName();
    try {
      if (root.startsWith("mlflow-artifacts:")) {
        String rel = root.substring("mlflow-artifacts:".length()).replaceFirst("^/+", "");
        byte[] bytes = Files.readAllBytes(file);
        send("PUT", "api/2.0/mlflow-artifacts/artifacts/" + rel + "/" + name,
            HttpRequest.BodyPublishers.ofByteArray(bytes), "application/octet-stream");
      } else if (root.startsWith("file:") || root.startsWith("/")) {
        Path dir = root.startsWith("file:") ? Path.of(URI.create(root)) : Path.of(root);
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw new MlflowException("artifact store '" + root + "' is not supported: start the tracking server with"
            + " its artifact proxy (mlflow server --serve-artifacts, the default) or a local file store", 0, "", null);
      }
    } catch (IOException e) {
      throw new MlflowException("cannot read artifact " + file + ": " + e.getMessage(), 0, "", e);
    }
  }

  /** The metric's full history (for reading a run back). */
  public List<Metric> metricHistory(String runId, String key) throws MlflowException {
    JsonNode r = call("GET", "api/2.0/mlflow/metrics/get-history?run_id=" + enc(runId) + "&metric_key=" + enc(key)
        + "&max_results=25000", null);
    List<Metric> out = new ArrayList<>();
    for (JsonNode m : r.path("metrics")) {
      out.add(new Metric(m.path("key").asText(), m.path("value").asDouble(), m.path("timestamp").asLong(), m.path("step").asLong()));
    }
    return out;
  }

  /** The run as MLflow returns it from runs/get. */
  public JsonNode getRun(String runId) throws MlflowException {
    return call("GET", "api/2.0/mlflow/runs/get?run_id=" + enc(runId), null).path("run");
  }

  /** Artifact file names directly under the run's artifact root, through the tracking server. */
  public List<String> listArtifacts(String runId) throws MlflowException {
    JsonNode r = call("GET", "api/2.0/mlflow/artifacts/list?run_id=" + enc(runId), null);
    List<String> out = new ArrayList<>();
    for (JsonNode f : r.path("files")) {
      out.add(f.path("path").asText());
    }
    return out;
  }

  private JsonNode call(String method, String path, JsonNode body) throws MlflowException {
    HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString());
    String text = send(method, path, pub, "application/json");
    try {
      return text.isBlank() ? json.createObjectNode() : json.readTree(text);
    } catch (IOException e) {
      throw new MlflowException("MLflow answered " + path + " with something that is not JSON: " + abbreviate(text), 200, "", e);
    }
  }

  private String send(String method, String path, HttpRequest.BodyPublisher body, String contentType) throws MlflowException {
    URI uri = base.resolve(path);
    Duration backoff = retry.firstBackoff();
    MlflowException last = null;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      HttpRequest req = HttpRequest.newBuilder(uri).timeout(retry.timeout())
          .header("Content-Type", contentType).method(method, body).build();
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return r.body();
        }
        String code = errorCode(r.body());
        last = new MlflowException("MLflow " + method + " " + path.replaceFirst("\\?.*", "") + " -> HTTP " + r.statusCode()
            + ": " + abbreviate(r.body()), r.statusCode(), code, null);
        if (r.statusCode() != 429 && r.statusCode() / 100 != 5) {
          throw last;
        }
      } catch (IOException e) {
        last = new MlflowException("MLflow at " + base + " did not answer " + path.replaceFirst("\\?.*", "") + ": " + e, 0, "", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MlflowException("interrupted", 0, "", e);
      }
      if (attempt < retry.attempts()) {
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw last;
        }
        backoff = backoff.multipliedBy(2);
      }
    }
    throw last;
  }

  private String errorCode(String body) {
    try {
      return Optional.ofNullable(json.readTree(body).get("error_code")).map(JsonNode::asText).orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
