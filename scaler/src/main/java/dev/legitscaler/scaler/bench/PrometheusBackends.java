package dev.legitscaler.scaler.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real Prometheus servers for {@code bench --signals prometheus}: each one listens on its own loopback
 * port and scrapes itself as {@value #INSTANCES} targets that differ only in a {@code pod} label, so
 * {@link #LOAD_QUERY} returns {@value #INSTANCES} series (one per "instance") from the server's real
 * query engine and TSDB.
 */
final class PrometheusBackends implements AutoCloseable {
  static final int INSTANCES = 5;
  /** 0.7 per scraped target: five instances at 70 % load, read through PromQL over stored samples. */
  static final String LOAD_QUERY = "0.7 * up{job=\"model\"}";

  private final List<Process> processes = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  private PrometheusBackends() {}

  /** Starts {@code n} servers and waits until each has scraped all of its targets once. */
  static PrometheusBackends start(String binary, int n, IntSupplierIo freePort) throws IOException, InterruptedException {
    PrometheusBackends b = new PrometheusBackends();
    try {
      for (int i = 0; i < n; i++) {
        int port = freePort.get();
        Path dir = Files.createTempDirectory("bench-prometheus-");
        b.dirs.add(dir);
        StringBuilder yml = new StringBuilder("global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: model\n"
            + "    static_configs:\n");
        for (int p = 0; p < INSTANCES; p++) {
          yml.append("      - targets: ['127.0.0.1:").append(port).append("']\n        labels: {pod: pod-").append(p)
              .append("}\n");
        }
        Files.writeString(dir.resolve("prometheus.yml"), yml);
        b.processes.add(new ProcessBuilder(binary, "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
            "--storage.tsdb.retention.time=1h", "--log.level=warn")
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());
        b.urls.add("http://127.0.0.1:" + port);
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String count = "/api/v1/query?query=" + URLEncoder.encode("count(up{job=\"model\"} == 1)", StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      for (int i = 0; i < n; i++) {
        while (true) {
          if (!b.processes.get(i).isAlive()) {
            throw new IOException("prometheus exited early, see " + b.dirs.get(i).resolve("prometheus.log"));
          }
          try {
            String body = http.send(HttpRequest.newBuilder(URI.create(b.urls.get(i) + count)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"" + INSTANCES + "\"]")) {
              break;
            }
          } catch (IOException e) {
            // not listening yet
          }
          if (System.nanoTime() > deadline) {
            throw new IOException("prometheus at " + b.urls.get(i) + " did not scrape its targets within 90 s");
          }
          Thread.sleep(250);
        }
      }
      return b;
    } catch (IOException | InterruptedException | RuntimeException e) {
      b.close();
      throw e;
    }
  }

  List<String> urls() {
    return List.copyOf(urls);
  }

  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    for (Path d : dirs) {
      try (Stream<Path> s = Files.walk(d)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temp dir left behind is harmless
      }
    }
  }

  /** A port source that may fail with IOException. */
  interface IntSupplierIo {
    int get() throws IOException;
  }
}
