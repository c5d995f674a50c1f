package dev.legitscaler.scaler.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A FAKE Prometheus that exists only to inject faults a real one will not produce on demand: answers
 * slower than the client's timeout, garbage bodies, HTTP 500 pages, hand-written JSON (NaN/Inf values,
 * {@code status: error}, matrix results). Every {@code /api/v1/query} gets the scripted answer.
 */
public final class FaultyPrometheusFixture implements AutoCloseable {
  /**
   * The scripted answer: after {@code delay}, HTTP {@code status} headers; after {@code bodyStall} more,
   * {@code body}.
   */
  public record Answer(Duration delay, int status, String contentType, String body, Duration bodyStall) {
    public static Answer json(int status, String body) {
      return new Answer(Duration.ZERO, status, "application/json", body, Duration.ZERO);
    }

    public static Answer text(int status, String body) {
      return new Answer(Duration.ZERO, status, "text/plain", body, Duration.ZERO);
    }

    /** Nothing at all until {@code delay} has passed. */
    public Answer after(Duration delay) {
      return new Answer(delay, status, contentType, body, bodyStall);
    }

    /** Headers at once, then the body only after {@code stall}: a server that hangs mid-answer. */
    public Answer stallingBody(Duration stall) {
      return new Answer(delay, status, contentType, body, stall);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-prometheus");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<Answer> answer =
      new AtomicReference<>(Answer.json(200, vector()));

  private FaultyPrometheusFixture(HttpServer server) {
    this.server = server;
  }

  public static FaultyPrometheusFixture start() {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FaultyPrometheusFixture f = new FaultyPrometheusFixture(server);
    server.createContext("/api/v1/query", f::handle);
    server.setExecutor(f.executor);
    server.start();
    return f;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public FaultyPrometheusFixture answer(Answer a) {
    answer.set(a);
    return this;
  }

  /** A success body with a vector result; each element is {@code {labels-json, "value"}}. */
  public static String vector(String[]... series) {
    StringBuilder sb = new StringBuilder();
    for (String[] s : series) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append("{\"metric\":").append(s[0]).append(",\"value\":[1700000000.123,\"").append(s[1]).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + sb + "]}}";
  }

  private void handle(HttpExchange exchange) throws IOException {
    Answer a = answer.get();
    try {
      if (!a.delay().isZero()) {
        Thread.sleep(a.delay().toMillis());
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", a.contentType());
      exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!a.bodyStall().isZero()) {
          out.flush();
          Thread.sleep(a.bodyStall().toMillis());
        }
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
