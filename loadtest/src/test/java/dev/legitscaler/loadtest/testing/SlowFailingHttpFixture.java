package dev.legitscaler.loadtest.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately slow and failing HTTP target, for fault injection only. Behaviour by the X-Client-Id
 * prefix: {@code slow-*} answers after {@code slowDelay} (meant to exceed the caller's timeout),
 * {@code fail-*} answers 503 at once, anything else answers 200 after {@code okDelay}.
 */
public final class SlowFailingHttpFixture implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(16);
  private final AtomicInteger received = new AtomicInteger();

  public SlowFailingHttpFixture(Duration okDelay, Duration slowDelay) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/predict", exchange -> {
      try (exchange; InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
        received.incrementAndGet();
        String client = String.valueOf(exchange.getRequestHeaders().getFirst("X-Client-Id"));
        int status = 200;
        try {
          if (client.startsWith("slow-")) {
            Thread.sleep(slowDelay.toMillis());
          } else if (client.startsWith("fail-")) {
            status = 503;
          } else {
            Thread.sleep(okDelay.toMillis());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        byte[] body = ("{\"status\":" + status + "}").getBytes();
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        } catch (IOException clientGone) {
          // the caller timed out: expected for slow-*
        }
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  public URI predictUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/predict");
  }

  public int received() {
    return received.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
