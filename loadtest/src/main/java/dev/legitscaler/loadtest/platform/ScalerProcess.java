package dev.legitscaler.loadtest.platform;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** legit-scaler in a child JVM from its runnable jar, ready once its health service says SERVING. */
public final class ScalerProcess implements AutoCloseable {
  private final ManagedProcess process;
  private final int grpcPort;
  private final int metricsPort;

  private ScalerProcess(ManagedProcess process, int grpcPort, int metricsPort) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.metricsPort = metricsPort;
  }

  /**
   * @param jar scaler/target/legit-scaler.jar
   * @param flags extra flags (backend defaults, refresh interval, ...)
   */
  public static ScalerProcess start(Path jar, Path dir, List<String> flags, Duration timeout) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException("scaler jar not found at " + jar + " (run `make build`)");
    }
    jar = jar.toAbsolutePath();
    dir = dir.toAbsolutePath();
    Files.createDirectories(dir);
    int grpcPort = FreePorts.next();
    int metricsPort = FreePorts.next();
    List<String> cmd = new ArrayList<>(List.of(Java.executable(), "-Xmx256m", "-jar", jar.toString(),
        "--grpc-port", Integer.toString(grpcPort), "--metrics-port", Integer.toString(metricsPort)));
    cmd.addAll(flags);
    ManagedProcess p = ManagedProcess.start("legit-scaler", cmd, dir, dir.resolve("legit-scaler.log"));
    ScalerProcess scaler = new ScalerProcess(p, grpcPort, metricsPort);
    try {
      p.awaitReady(scaler::serving, timeout);
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return scaler;
  }

  private boolean serving() {
    if (!ManagedProcess.portOpen(grpcPort)) {
      return false;
    }
    ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    try {
      HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    } finally {
      ch.shutdownNow();
    }
  }

  public String grpcAddress() {
    return "127.0.0.1:" + grpcPort;
  }

  public String metricsAddress() {
    return "127.0.0.1:" + metricsPort;
  }

  public ManagedProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(12));
  }
}
