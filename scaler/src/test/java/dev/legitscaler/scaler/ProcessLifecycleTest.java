package dev.legitscaler.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in its own JVM: reaches SERVING, serves /metrics, exits cleanly on SIGTERM. */
class ProcessLifecycleTest {
  @TempDir
  Path dir;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void startsReachesServingAndStopsOnSigterm() throws Exception {
    int grpc = freePort();
    int metrics = freePort();
    Path log = dir.resolve("scaler.log");
    Path token = Files.writeString(dir.resolve("token"), "s3cret");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.legitscaler.scaler.Main",
        "--metrics-port", Integer.toString(metrics), "--prometheus-url", "http://127.0.0.1:1/",
        "--prometheus-bearer-token-file", token.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LEGITSCALER_GRPC_PORT", Integer.toString(grpc)); // the env-var equivalent of --grpc-port
    Process p = pb.start();
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", grpc, InsecureChannelCredentials.create()).build();
    try {
      HealthCheckResponse.ServingStatus status = null;
      for (int i = 0; i < 600 && status != HealthCheckResponse.ServingStatus.SERVING; i++) {
        assertThat(p.isAlive()).as("scaler process alive; log:%n%s", Files.exists(log) ? Files.readString(log) : "")
            .isTrue();
        try {
          status = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService("externalscaler.ExternalScaler").build()).getStatus();
        } catch (RuntimeException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(status).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      HttpResponse<String> m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(m.body()).contains("legitscaler_watches", "jvm_threads_current");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
      String out = Files.readString(log);
      assertThat(out).contains("event=serving", "event=shutdown_started", "event=shutdown_complete clean=true");
      assertThat(out).doesNotContain("s3cret");
      assertThat(out.lines().filter(l -> l.contains("event=")).allMatch(l -> !l.isBlank())).isTrue();
    } finally {
      ch.shutdownNow();
      p.destroyForcibly();
    }
  }
}
