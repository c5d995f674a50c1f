package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.diagnostics.v1.DiagnosticsGrpc;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.watch.Registry;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server: ExternalScaler, Diagnostics, grpc.health.v1.Health (overall "" and per service) and
 * server reflection v1 + v1alpha, behind the metrics interceptor. Explicit lifecycle: {@link #start},
 * {@link #awaitTermination}, {@link #shutdown(Duration)}.
 */
public final class ScalerServer {
  public static final List<String> SERVICES = List.of(ExternalScalerGrpc.SERVICE_NAME, DiagnosticsGrpc.SERVICE_NAME);

  private final ServerBuilder<?> builder;
  private final ExternalScalerService scaler;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService slowPath;
  private Server server;

  /**
   * @param builder a transport-specific builder (Netty with credentials, or in-process in tests)
   * @param slowPath validating, parsing and creating watches, and Diagnostics: never on a transport
   *     thread; the server shuts it down in {@link #shutdown}
   */
  public ScalerServer(ServerBuilder<?> builder, Registry registry, ScalerMetrics metrics, Clock clock,
      Duration firstRefreshWait, ExecutorService slowPath) {
    this.builder = builder;
    this.slowPath = slowPath;
    this.scaler = new ExternalScalerService(registry, clock, firstRefreshWait, slowPath);
    // Calls run where they arrive: the ExternalScaler answers a known trigger with two map lookups and
    // hands everything else to slowPath, as Diagnostics does; Health and reflection are lookups too.
    // That saves a thread hand-off per call on KEDA's polling path.
    builder.directExecutor()
        .addService(scaler)
        .addService(new DiagnosticsService(registry, clock, slowPath))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(legacyReflection())
        .intercept(new MetricsInterceptor(metrics));
  }

  /** The ExternalScaler handlers (tests read their key cache). */
  ExternalScalerService externalScaler() {
    return scaler;
  }

  @SuppressWarnings("deprecation")
  private static io.grpc.BindableService legacyReflection() {
    // v1alpha, for grpcurl releases that do not speak v1
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  public synchronized ScalerServer start() throws IOException {
    server = builder.build().start();
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    for (String s : SERVICES) {
      health.setStatus(s, ServingStatus.SERVING);
    }
    return this;
  }

  /** The bound port (-1 for in-process servers). */
  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Graceful stop: health NOT_SERVING, stop accepting calls, end open streams, let in-flight calls
   * finish within {@code grace}, then cancel what is left. Returns true when everything finished in time.
   */
  public boolean shutdown(Duration grace) throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    scaler.completeStreams();
    try {
      if (server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      server.shutdownNow();
      server.awaitTermination(1, TimeUnit.SECONDS);
      return false;
    } finally {
      // calls still on the slow path are answered UNAVAILABLE by the cancelled server; nothing waits
      slowPath.shutdownNow();
    }
  }
}
