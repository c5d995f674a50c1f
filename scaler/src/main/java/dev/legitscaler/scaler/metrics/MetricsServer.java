package dev.legitscaler.scaler.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The HTTP endpoint: {@code /metrics} in Prometheus text format, with JVM and process metrics. */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** Registers the JVM metrics on {@code registry} and serves it on {@code port} (0 = any free port). */
  public static MetricsServer start(PrometheusRegistry registry, String host, int port) throws IOException {
    JvmMetrics.builder().register(registry);
    try {
      return new MetricsServer(HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart());
    } catch (IOException e) {
      // The exporter's BindException says only "Address already in use": name the port and the flag.
      throw new IOException("cannot serve /metrics on " + host + ":" + port + " (--metrics-port " + port + "): "
          + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
