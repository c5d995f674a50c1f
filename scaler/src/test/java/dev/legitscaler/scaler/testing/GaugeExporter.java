package dev.legitscaler.scaler.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny exporter for tests: serves gauges whose values the test sets, in the Prometheus text format on
 * {@code /metrics}, so that a real {@link PrometheusProcess} scrapes real series. Scraped as its own
 * target, Prometheus gives its series {@code instance="127.0.0.1:<port>"} — one exporter per simulated
 * model instance is the realistic set-up. NaN and ±Inf values are written as Prometheus writes them.
 */
public final class GaugeExporter implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gauge-exporter");
    t.setDaemon(true);
    return t;
  });
  // metric name -> rendered label set -> value
  private final Map<String, Map<String, Double>> gauges = new ConcurrentSkipListMap<>();
  private final AtomicLong scrapes = new AtomicLong();

  private GaugeExporter(HttpServer server) {
    this.server = server;
  }

  public static GaugeExporter start() {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GaugeExporter exporter = new GaugeExporter(server);
    server.createContext("/metrics", exchange -> {
      byte[] body = exporter.render().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      exporter.scrapes.incrementAndGet();
    });
    server.setExecutor(exporter.executor);
    server.start();
    return exporter;
  }

  /** {@code host:port} to put in a scrape job. */
  public String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets an unlabelled gauge. */
  public GaugeExporter set(String name, double value) {
    return set(name, Map.of(), value);
  }

  /** Sets the gauge {@code name} with {@code labels} (creates it on first use). */
  public GaugeExporter set(String name, Map<String, String> labels, double value) {
    gauges.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>()).put(labelSet(labels), value);
    return this;
  }

  /** Stops serving one series; Prometheus marks it stale at the next scrape. */
  public GaugeExporter remove(String name, Map<String, String> labels) {
    Map<String, Double> series = gauges.get(name);
    if (series != null) {
      series.remove(labelSet(labels));
    }
    return this;
  }

  /** Number of /metrics requests served so far. */
  public long scrapes() {
    return scrapes.get();
  }

  String render() {
    StringBuilder sb = new StringBuilder();
    gauges.forEach((name, series) -> {
      sb.append("# TYPE ").append(name).append(" gauge\n");
      series.forEach((labels, value) -> sb.append(name).append(labels).append(' ')
          .append(format(value)).append('\n'));
    });
    return sb.toString();
  }

  private static String labelSet(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    SortedMap<String, String> sorted = new TreeMap<>(labels);
    StringBuilder sb = new StringBuilder("{");
    sorted.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(k).append("=\"")
          .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    });
    return sb.append('}').toString();
  }

  private static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
