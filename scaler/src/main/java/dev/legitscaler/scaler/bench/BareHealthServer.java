package dev.legitscaler.scaler.bench;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.TimeUnit;

/**
 * The floor arm of {@code bench}: a bare grpc-java server with nothing but grpc.health.v1.Health (no
 * interceptor, no other service, same transport builder and direct executor as the real server). The
 * bench starts it as its own child JVM with the same JVM options as the real server, so the two differ
 * only in what the project adds. A plain {@code main} (no picocli) so that it loads only what grpc-java
 * needs.
 */
public final class BareHealthServer {
  private BareHealthServer() {}

  /** {@code args[0]}: the port to listen on (loopback and every other address, like the real server). */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    HealthStatusManager health = new HealthStatusManager();
    Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create()).directExecutor()
        .addService(health.getHealthService()).build().start();
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      health.enterTerminalState();
      server.shutdown();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown"));
    server.awaitTermination();
  }
}
