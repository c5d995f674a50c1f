package dev.legitscaler.loadtest.testing;

import dev.legitscaler.loadtest.platform.FreePorts;
import dev.legitscaler.loadtest.platform.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MLflow tracking server (SQLite backend, local artifact store behind the server's artifact
 * proxy) from the project's MLflow virtual environment, which `make venvs` installs.
 */
public final class MlflowServer implements AutoCloseable {
  private final ManagedProcess process;
  private final URI uri;
  private final Path dir;

  private MlflowServer(ManagedProcess process, URI uri, Path dir) {
    this.process = process;
    this.uri = uri;
    this.dir = dir;
  }

  /** The mlflow executable: -Dlegitscaler.mlflow.bin, else the repository's .tools/venv-mlflow. */
  public static Path binary() {
    String prop = System.getProperty("legitscaler.mlflow.bin");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of("..", ".tools", "venv-mlflow", "bin", "mlflow").toAbsolutePath().normalize();
  }

  public static MlflowServer start(Path dir) throws IOException {
    Path bin = binary();
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("MLflow is not installed at " + bin + ": run `make venvs` (make test does it)");
    }
    int port = FreePorts.next();
    Files.createDirectories(dir);
    ManagedProcess p = ManagedProcess.start("mlflow", List.of(bin.toString(), "server",
        "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
        "--artifacts-destination", dir.resolve("artifacts").toAbsolutePath().toString(),
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1"), dir, dir.resolve("mlflow.log"));
    URI uri = URI.create("http://127.0.0.1:" + port);
    MlflowServer server = new MlflowServer(p, uri, dir);
    try {
      p.awaitReady(server::healthy, Duration.ofSeconds(240));
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return server;
  }

  private boolean healthy() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/health")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public URI uri() {
    return uri;
  }

  public Path artifactsDir() {
    return dir.resolve("artifacts");
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
  }
}
