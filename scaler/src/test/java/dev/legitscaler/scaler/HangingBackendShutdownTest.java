package dev.legitscaler.scaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends the real entry point (its own JVM) within 10 s with exit code 0 while every refresh
 * hangs inside a backend call: a fault-injecting Prometheus that answers only after two minutes.
 */
class HangingBackendShutdownTest {
  @TempDir
  Path dir;

  @Test
  void sigtermEndsWithinTenSecondsWithExitCodeZeroWhateverTheBackendDoes() throws Exception {
    try (FaultyPrometheusFixture hanging = FaultyPrometheusFixture.start()
        .answer(FaultyPrometheusFixture.Answer.json(200, FaultyPrometheusFixture.vector(
            new String[] {"{\"pod\":\"p\"}", "0.5"})).after(Duration.ofMinutes(2)))) {
      int grpc = ProcessLifecycleTest.freePort();
      Path log = dir.resolve("scaler.log");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.legitscaler.scaler.Main",
          "--grpc-port", Integer.toString(grpc), "--metrics-port", "0", "--refresh-threads", "2",
          "--max-concurrent-refreshes-per-namespace", "8", "--max-upstream-timeout", "2m",
          // the hanging server is the operator's declared Prometheus (undeclared ones are refused)
          "--prometheus-url", hanging.baseUrl())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", grpc, InsecureChannelCredentials.create())
          .build();
      try {
        HealthCheckResponse.ServingStatus status = null;
        for (int i = 0; i < 600 && status != HealthCheckResponse.ServingStatus.SERVING; i++) {
          assertThat(p.isAlive()).as("scaler alive; log:%n%s", Files.exists(log) ? Files.readString(log) : "")
              .isTrue();
          try {
            status = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
          } catch (RuntimeException notYet) {
            Thread.sleep(100);
          }
        }
        for (int i = 0; i < 4; i++) {
          ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("ml").setName("so-" + i)
              .putScalerMetadata("serverAddress", hanging.baseUrl()).putScalerMetadata("loadQuery", "q")
              .putScalerMetadata("timeout", "2m").build();
          ExternalScalerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).getMetricSpec(ref);
          // a GetMetrics waiting for a first refresh that never comes
          ExternalScalerGrpc.newFutureStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
              .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).build());
        }
        Thread.sleep(1500); // every refresh thread is inside a hanging HTTP call now

        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        boolean exited = p.waitFor(10, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        String out = Files.readString(log);
        System.out.println("SHUTDOWN sigterm to exit: " + tookMs + " ms, exit code " + (exited ? p.exitValue() : -1)
            + ", forced=" + out.contains("event=shutdown_forced"));
        assertThat(exited).as("exited within 10 s of SIGTERM; log:%n%s", out).isTrue();
        assertThat(p.exitValue()).as("exit code after %d ms; log:%n%s", tookMs, out).isZero();
        assertThat(out).contains("event=shutdown_started");
      } finally {
        ch.shutdownNow();
        p.destroyForcibly();
      }
    }
  }
}
