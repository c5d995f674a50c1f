package dev.legitscaler.scaler.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sits between the client under test and a REAL Prometheus, forwards every GET unchanged and records
 * what arrived (path, query parameters, headers), so a test can check headers, parameters and the
 * bearer token are actually sent while the answers still come from Prometheus.
 */
public final class RecordingPrometheusProxy implements AutoCloseable {
  /** One request as received. Header names are lower-cased; parameters are decoded, in order. */
  public record RecordedRequest(String method, String path, List<Map.Entry<String, String>> parameters,
      Map<String, String> headers) {
    public List<String> parameter(String name) {
      return parameters.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final String upstream;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "recording-prometheus-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private RecordingPrometheusProxy(HttpServer server, String upstream) {
    this.server = server;
    this.upstream = upstream;
  }

  /** A proxy in front of {@code upstreamBaseUrl}, e.g. {@link PrometheusProcess#baseUrl()}. */
  public static RecordingPrometheusProxy start(String upstreamBaseUrl) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RecordingPrometheusProxy p = new RecordingPrometheusProxy(server, upstreamBaseUrl);
    server.createContext("/", p::handle);
    server.setExecutor(p.executor);
    server.start();
    return p;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    requests.add(new RecordedRequest(exchange.getRequestMethod(), uri.getPath(), decode(uri.getRawQuery()), headers));
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(upstream + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      exchange.getResponseHeaders().set("Content-Type",
          r.headers().firstValue("Content-Type").orElse("application/json"));
      exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(r.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      exchange.sendResponseHeaders(502, -1);
    } finally {
      exchange.close();
    }
  }

  private static List<Map.Entry<String, String>> decode(String rawQuery) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.add(Map.entry(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
