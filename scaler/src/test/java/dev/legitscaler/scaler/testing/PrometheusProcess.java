package dev.legitscaler.scaler.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (the {@code prometheus} binary, Debian's 2.42) for tests: generated config,
 * own temporary data directory, {@code 127.0.0.1} on a free port, {@code --web.enable-lifecycle}.
 * Scrape and rule-evaluation interval default to 1 s so tests see changes within seconds.
 *
 * <pre>{@code
 * try (GaugeExporter model = GaugeExporter.start();
 *      PrometheusProcess prom = PrometheusProcess.builder().scrapeJob("model", List.of(model.target())).start()) {
 *   model.set("ml_model_saturation_ratio", 0.5);
 *   prom.awaitSeries("ml_model_saturation_ratio", 1, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * The binary is looked up as {@code $PROMETHEUS_BINARY}, else {@code prometheus} on the PATH; when it
 * is missing, start() fails (never skips) with a message saying {@code make tools} installs it.
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final Path workDir;
  private final Path configFile;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private Thread killOnExit;

  private PrometheusProcess(Path binary, Path workDir, int port) {
    this.binary = binary;
    this.workDir = workDir;
    this.configFile = workDir.resolve("prometheus.yml");
    this.dataDir = workDir.resolve("data");
    this.logFile = workDir.resolve("prometheus.log");
    this.port = port;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Prometheus scraping {@code targets} ({@code host:port}) as job {@code test}. */
  public static PrometheusProcess start(String... targets) {
    return builder().scrapeJob("test", List.of(targets)).start();
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The generated configuration; rewrite it and call {@link #reload()} to change targets or rules. */
  public Path configFile() {
    return configFile;
  }

  public Path logFile() {
    return logFile;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 20 s); its data directory and port stay reserved. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    removeKillOnExit();
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** Starts the server again on the same port with the same data (after {@link #stop()}). */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** {@code POST /-/reload}: re-reads the config file and the rule files. */
  public void reload() {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("reload failed: HTTP " + r.statusCode() + " " + r.body() + logTail());
    }
  }

  /** The {@code data} of an instant query, failing on any error. */
  public JsonNode query(String promql) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build());
    try {
      JsonNode root = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
        throw new IllegalStateException("query " + promql + " failed: HTTP " + r.statusCode() + " " + r.body());
      }
      return root.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code promql} returns exactly {@code count} series; returns the result array. */
  public JsonNode awaitSeries(String promql, int count, Duration timeout) {
    return awaitResult(promql, r -> r.size() == count, timeout, count + " series");
  }

  /** Waits until the result array of {@code promql} satisfies {@code condition}. */
  public JsonNode awaitResult(String promql, Predicate<JsonNode> condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (true) {
      last = query(promql).path("result");
      if (condition.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("after " + timeout + " " + promql + " still not " + what + "; last result: " + last);
      }
      sleep(100);
    }
  }

  @Override
  public void close() {
    stop();
    deleteRecursively(workDir);
  }

  private synchronized void launch() {
    List<String> cmd = List.of(binary.toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + dataDir,
        "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-lifecycle",
        "--log.level=warn");
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e, e);
    }
    // A test JVM that dies without close() must not leave a server behind.
    Process started = process;
    killOnExit = new Thread(started::destroyForcibly, "prometheus-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    awaitReady();
  }

  private void removeKillOnExit() {
    if (killOnExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
      killOnExit = null;
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + logTail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for prometheus", e);
      }
      sleep(100);
    }
    stop();
    throw new IllegalStateException("prometheus not ready after " + READY_TIMEOUT + logTail());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return "\n--- prometheus log (last lines) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return " (no log: " + e + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a leftover temp dir is not worth failing a test for
    }
  }

  /** The binary named by {@code env} ({@code PROMETHEUS_BINARY}, else {@code PATH}). */
  static Path findBinary(Map<String, String> env) {
    Optional<Path> fromEnv = Optional.ofNullable(env.get("PROMETHEUS_BINARY")).map(Path::of);
    if (fromEnv.isPresent()) {
      if (Files.isExecutable(fromEnv.get())) {
        return fromEnv.get();
      }
      throw new IllegalStateException("PROMETHEUS_BINARY=" + fromEnv.get() + " is not an executable file");
    }
    String path = Optional.ofNullable(env.get("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "prometheus");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "the 'prometheus' binary is not on the PATH (nor set as PROMETHEUS_BINARY): `make tools` installs it");
  }

  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the generated prometheus.yml contains. */
  public static final class Builder {
    private final Map<String, List<String>> scrapeJobs = new LinkedHashMap<>();
    private final List<Path> ruleFiles = new ArrayList<>();
    private final List<String> alertmanagers = new ArrayList<>();
    private Duration interval = Duration.ofSeconds(1);
    private boolean honorLabels;

    private Builder() {}

    /** A static scrape job; each target is {@code host:port} serving {@code /metrics}. */
    public Builder scrapeJob(String jobName, List<String> targets) {
      scrapeJobs.put(jobName, List.copyOf(targets));
      return this;
    }

    /** Rule files (alerting or recording), loaded as given; reload() re-reads them. */
    public Builder ruleFiles(List<Path> files) {
      files.forEach(f -> ruleFiles.add(f.toAbsolutePath()));
      return this;
    }

    /** Alertmanagers ({@code host:port}) to send alerts to. */
    public Builder alertmanagers(List<String> targets) {
      alertmanagers.addAll(targets);
      return this;
    }

    /** Scrape and evaluation interval (default 1 s). */
    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Keep labels such as {@code instance} as the exporter sets them (one exporter posing as many). */
    public Builder honorLabels(boolean honorLabels) {
      this.honorLabels = honorLabels;
      return this;
    }

    public PrometheusProcess start() {
      Path binary = findBinary(System.getenv());
      Path dir;
      try {
        dir = Files.createTempDirectory("prometheus-test-");
        Files.createDirectories(dir.resolve("data"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      PrometheusProcess p = new PrometheusProcess(binary, dir, freeLoopbackPort());
      try {
        Files.writeString(p.configFile, config());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      p.launch();
      return p;
    }

    String config() {
      String iv = interval.toMillis() + "ms";
      StringBuilder y = new StringBuilder();
      y.append("global:\n  scrape_interval: ").append(iv).append("\n  scrape_timeout: ").append(iv)
          .append("\n  evaluation_interval: ").append(iv).append('\n');
      if (!ruleFiles.isEmpty()) {
        y.append("rule_files:\n");
        ruleFiles.forEach(f -> y.append("  - ").append(quote(f.toString())).append('\n'));
      }
      if (!alertmanagers.isEmpty()) {
        y.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [")
            .append(String.join(", ", alertmanagers.stream().map(Builder::quote).toList())).append("]\n");
      }
      y.append("scrape_configs:\n");
      if (scrapeJobs.isEmpty()) {
        y.append("  []\n");
      }
      scrapeJobs.forEach((job, targets) -> {
        y.append("  - job_name: ").append(quote(job)).append('\n');
        y.append("    honor_labels: ").append(honorLabels).append('\n');
        y.append("    static_configs:\n      - targets: [")
            .append(String.join(", ", targets.stream().map(Builder::quote).toList())).append("]\n");
      });
      return y.toString();
    }

    private static String quote(String s) {
      return "'" + s.replace("'", "''") + "'";
    }
  }
}
