package dev.legitscaler.scaler.signal.prometheus;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One HTTP client and its executor for one Prometheus origin. Own executor so that closing really
 * frees its threads (HttpClient has no close() in Java 17).
 */
record PrometheusTransport(String origin, HttpClient http, ExecutorService executor) {

  static PrometheusTransport open(String origin, Duration connectTimeout) {
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "prometheus-client " + origin);
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // Prometheus speaks plain HTTP/1.1; no h2c upgrade dance
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not carry the token elsewhere
        .connectTimeout(connectTimeout)
        .executor(executor)
        .build();
    return new PrometheusTransport(origin, http, executor);
  }

  void close() {
    executor.shutdownNow();
  }
}
