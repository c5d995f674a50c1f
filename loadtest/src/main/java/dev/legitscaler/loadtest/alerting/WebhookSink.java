package dev.legitscaler.loadtest.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP endpoint that accepts Alertmanager's webhook payload and records one {@link Notification}
 * per POST. It answers 401 to a wrong bearer token, as the chat bridge or pager would, so a broken
 * secret file shows up as missing notifications (and Alertmanager's retry log) instead of passing.
 */
final class WebhookSink implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;
  private final List<Notification> received = new CopyOnWriteArrayList<>();
  private final List<String> rejected = new CopyOnWriteArrayList<>();

  WebhookSink(String path, String bearerToken, ObjectMapper json, Clock clock) throws IOException {
    this.path = path;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "webhook-sink" + path);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(path, exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + bearerToken).equals(auth)) {
          rejected.add("authorization " + (auth == null ? "missing" : "wrong"));
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        try {
          JsonNode p = json.readTree(body);
          received.add(new Notification(
              p.path("receiver").asText(""),
              Notification.Channel.WEBHOOK,
              firstNonEmpty(p.path("groupLabels").path("alertname").asText(""),
                  p.path("commonLabels").path("alertname").asText("")),
              p.path("commonLabels").path("severity").asText(""),
              Notification.Status.parse(p.path("status").asText("")),
              clock.instant()));
          exchange.sendResponseHeaders(200, -1);
        } catch (IOException e) {
          rejected.add("unparsable payload: " + e.getMessage());
          exchange.sendResponseHeaders(400, -1);
        }
      }
    });
    server.start();
  }

  private static String firstNonEmpty(String a, String b) {
    return a.isEmpty() ? b : a;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Notification> received() {
    return List.copyOf(received);
  }

  /** Requests refused (wrong token, bad payload), for diagnostics. */
  List<String> rejected() {
    return List.copyOf(rejected);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
