package dev.legitscaler.loadtest.model;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.legitscaler.loadtest.payload.RequestHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code POST /predict}: the same service over HTTP, sharing the worker slots with the Kafka path.
 * 200 with the score, 400 for a malformed body, 500 on a model error, 405 for other methods.
 */
final class PredictEndpoint implements HttpHandler {

  private final ModelService service;
  private final WorkerSlots slots;

  PredictEndpoint(ModelService service, WorkerSlots slots) {
    this.service = service;
    this.slots = slots;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        respond(exchange, 405, "{\"error\":\"use POST\"}");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(1 << 20);
      }
      long ready = slots.clock().nanoTime();
      long sendTs = RequestHeaders.parseMicros(exchange.getRequestHeaders().getFirst(RequestHeaders.HTTP_SEND_TS));
      if (sendTs <= 0) {
        // measured from arrival, so the wait for a free slot counts
        sendTs = service.nowMicros();
      }
      ModelService.Result result;
      WorkerSlots.Slot slot;
      try {
        slot = slots.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        respond(exchange, 503, "{\"error\":\"shutting down\"}");
        return;
      }
      try {
        result = service.serveInSlot(slot, body, sendTs, ready);
      } finally {
        slots.release(slot);
      }
      switch (result.outcome()) {
        case OK -> respond(exchange, 200, String.format(Locale.ROOT, "{\"id\":\"%s\",\"score\":%.6f,\"label\":%d}",
            result.detail(), result.score(), result.score() >= 0.5 ? 1 : 0));
        case INVALID -> respond(exchange, 400, "{\"error\":\"invalid payload: " + result.detail() + "\"}");
        default -> respond(exchange, 500, "{\"error\":\"model error\"}");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
