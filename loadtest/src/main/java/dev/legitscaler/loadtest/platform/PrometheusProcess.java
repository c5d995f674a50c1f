package dev.legitscaler.loadtest.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real Prometheus binary (Debian package) on loopback with its own data folder and config. */
public final class PrometheusProcess implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private PrometheusProcess(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Prometheus with {@code configYaml} written to {@code dir/prometheus.yml}.
   *
   * @param binary the prometheus executable (usually just {@code prometheus} on the PATH)
   */
  public static PrometheusProcess start(String binary, Path dir, String configYaml, Duration timeout) throws IOException {
    return start(binary, dir, configYaml, timeout, FreePorts.next());
  }

  /**
   * As {@link #start(String, Path, String, Duration)} on a port chosen beforehand, for clients that
   * must know the URL before Prometheus runs (the platform starts the scaler first, so that Prometheus
   * never sees a moment without a scaler target).
   */
  public static PrometheusProcess start(String binary, Path dir, String configYaml, Duration timeout, int port)
      throws IOException {
    dir = dir.toAbsolutePath(); // Prometheus runs in its own folder
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    ManagedProcess p;
    try {
      p = ManagedProcess.start("prometheus", List.of(binary,
          "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--web.enable-lifecycle"), dir, dir.resolve("prometheus.log"));
    } catch (IOException e) {
      throw new IOException("cannot start '" + binary + "' (run `make tools` to install Prometheus): " + e.getMessage(), e);
    }
    PrometheusProcess prom = new PrometheusProcess(p, port);
    try {
      p.awaitReady(prom::ready, timeout);
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return prom;
  }

  private boolean ready() {
    try {
      HttpResponse<Void> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).timeout(Duration.ofSeconds(1)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
