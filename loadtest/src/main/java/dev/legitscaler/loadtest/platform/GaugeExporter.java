package dev.legitscaler.loadtest.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves settable gauge series in the Prometheus text format, so a real Prometheus can scrape
 * known values (the quickstart's per-instance load, without running model replicas).
 */
public final class GaugeExporter implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Double> series = new ConcurrentHashMap<>();
  private final String metric;

  public GaugeExporter(String metric, String help) throws IOException {
    this.metric = metric;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      StringBuilder sb = new StringBuilder();
      sb.append("# HELP ").append(metric).append(' ').append(help).append('\n');
      sb.append("# TYPE ").append(metric).append(" gauge\n");
      new TreeMap<>(series).forEach((labels, v) -> sb.append(metric).append(labels).append(' ').append(v).append('\n'));
      byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
  }

  /** Sets the value of the series with the given label {@code instance}. */
  public void set(String instance, double value) {
    series.put("{instance=\"" + instance + "\",pod=\"" + instance + "\"}", value);
  }

  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String metric() {
    return metric;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
