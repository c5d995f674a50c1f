package dev.legitscaler.loadtest.platform;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The emulated Deployment's Service for HTTP models: forwards each POST to the next ready replica
 * (round robin over what {@code backends} returns at that moment), so replicas that the emulator adds
 * or removes join or leave the rotation as they would behind a ClusterIP Service.
 */
public final class RoundRobinProxy implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong next = new AtomicLong();

  /** @param backends base URLs (http://host:port) of the ready replicas */
  public RoundRobinProxy(Supplier<List<String>> backends) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newFixedThreadPool(32, r -> {
      Thread t = new Thread(r, "service-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      List<String> all = backends.get();
      int status;
      byte[] answer;
      if (all.isEmpty()) {
        status = 503;
        answer = "no ready replica".getBytes();
      } else {
        String target = all.get((int) (next.getAndIncrement() % all.size())) + exchange.getRequestURI();
        try {
          HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
          exchange.getRequestHeaders().forEach((k, v) -> {
            if (!List.of("host", "content-length", "connection", "expect", "upgrade").contains(k.toLowerCase())) {
              v.forEach(x -> rb.header(k, x));
            }
          });
          HttpResponse<byte[]> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
          status = r.statusCode();
          answer = r.body();
        } catch (IOException e) {
          status = 502;
          answer = ("replica failed: " + e.getMessage()).getBytes();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          status = 503;
          answer = "interrupted".getBytes();
        }
      }
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(answer);
      }
    });
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
