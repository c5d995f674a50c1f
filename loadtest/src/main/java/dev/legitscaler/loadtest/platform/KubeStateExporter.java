package dev.legitscaler.loadtest.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * The kube-state-metrics series of the emulated Deployment and its KEDA HPA, which the alerting rules
 * (HPA → Deployment mapping, replicas below minimum, capacity exhausted) and the dashboards read. Values
 * are read live from the emulator and the replica set at each scrape; scrape it with honor_labels.
 */
public final class KubeStateExporter implements AutoCloseable {
  /** What the exporter describes. */
  public record Target(String namespace, String deployment, String hpa, int minReplicas, int maxReplicas) {}

  private final HttpServer server;

  /**
   * @param desired the HPA's desired (the Deployment's spec) replicas
   * @param existing replicas that exist
   * @param available replicas that are ready
   */
  public KubeStateExporter(Target t, IntSupplier desired, IntSupplier existing, IntSupplier available) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      String d = "namespace=\"" + t.namespace() + "\",deployment=\"" + t.deployment() + "\"";
      String h = "namespace=\"" + t.namespace() + "\",horizontalpodautoscaler=\"" + t.hpa() + "\"";
      StringBuilder sb = new StringBuilder();
      gauge(sb, "kube_deployment_spec_replicas", d, desired.getAsInt());
      gauge(sb, "kube_deployment_status_replicas", d, existing.getAsInt());
      gauge(sb, "kube_deployment_status_replicas_available", d, available.getAsInt());
      gauge(sb, "kube_horizontalpodautoscaler_info",
          h + ",scaletargetref_kind=\"Deployment\",scaletargetref_name=\"" + t.deployment() + "\"", 1);
      gauge(sb, "kube_horizontalpodautoscaler_spec_min_replicas", h, t.minReplicas());
      gauge(sb, "kube_horizontalpodautoscaler_spec_max_replicas", h, t.maxReplicas());
      gauge(sb, "kube_horizontalpodautoscaler_status_current_replicas", h, existing.getAsInt());
      gauge(sb, "kube_horizontalpodautoscaler_status_desired_replicas", h, desired.getAsInt());
      byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
  }

  private static void gauge(StringBuilder sb, String name, String labels, double v) {
    sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append('{').append(labels).append("} ")
        .append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)).append('\n');
  }

  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
