package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.signal.SignalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Instant queries against one Prometheus server. Thread-safe; obtained from
 * {@link PrometheusClientPool}, which shares one per server address.
 *
 * <p>Failures are {@link SignalException}s with these categories: {@code timeout} (no answer within the
 * query's timeout), {@code connect} (the server cannot be reached or dropped the connection),
 * {@code http_4xx} / {@code http_5xx} (a non-Prometheus error page), {@code prometheus_error} (Prometheus'
 * own {@code status: error}, with its errorType and message), {@code bad_response} (not the JSON an
 * instant query returns). The sources add {@code empty_result}.
 */
public final class PrometheusClient {
  // Far above any sane instant-query answer for one workload (1,000 series is ~200 KB).
  static final long MAX_BODY_BYTES = 16L << 20;

  private final String serverAddress;
  private final Optional<BearerTokenFile> bearerToken;
  private final HttpClient http;
  private final int maxSeries;
  private volatile boolean closed;

  PrometheusClient(String serverAddress, Optional<BearerTokenFile> bearerToken, PrometheusTransport transport,
      int maxSeries) {
    this.serverAddress = serverAddress;
    this.bearerToken = bearerToken;
    this.http = transport == null ? null : transport.http();
    this.maxSeries = maxSeries;
  }

  public String serverAddress() {
    return serverAddress;
  }

  /** True once the pool closed this client (its last user released it). */
  public boolean isClosed() {
    return closed;
  }

  /** Whether requests carry {@code Authorization: Bearer ...} (never the token itself). */
  public boolean sendsBearerToken() {
    return bearerToken.isPresent();
  }

  /** Runs {@code GET /api/v1/query}. */
  public QueryResult query(PrometheusQuery query) throws SignalException {
    if (closed) {
      throw new IllegalStateException("Prometheus client for " + serverAddress + " is closed");
    }
    HttpRequest request = request(query);
    HttpResponse<byte[]> response;
    // The request timeout of java.net.http stops at the response headers; a server that sends headers
    // and then stalls would hold the refresher forever. So the whole exchange gets the deadline.
    CompletableFuture<HttpResponse<byte[]>> call =
        http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES));
    try {
      response = call.get(query.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw timeout(query, e);
    } catch (ExecutionException e) {
      throw transportFailure(query, e.getCause());
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new SignalException("interrupted", "query to " + serverAddress + " interrupted", e);
    }
    int status = response.statusCode();
    byte[] body = response.body() == null ? new byte[0] : response.body();
    if (status / 100 == 2) {
      return PrometheusResponses.parseSuccess(body, maxSeries);
    }
    Optional<SignalException> promError = PrometheusResponses.prometheusError(body, status);
    if (promError.isPresent()) {
      throw promError.get(); // e.g. 400 bad_data for a PromQL syntax error, 422 execution, 503 timeout
    }
    String message = serverAddress + " answered HTTP " + status + ": " + PrometheusResponses.snippet(body);
    if (status / 100 == 4) {
      throw new SignalException("http_4xx", message);
    }
    if (status / 100 == 5) {
      throw new SignalException("http_5xx", message);
    }
    throw new SignalException("bad_response", message);
  }

  /** The request a query sends (tests: every accepted config must give a request the client can send). */
  static HttpRequest requestFor(String serverAddress, PrometheusQuery query) {
    return new PrometheusClient(serverAddress, Optional.empty(), null, 1).request(query);
  }

  private HttpRequest request(PrometheusQuery query) {
    StringBuilder uri = new StringBuilder(serverAddress).append("/api/v1/query?query=")
        .append(URLEncoder.encode(query.promql(), StandardCharsets.UTF_8));
    for (Map.Entry<String, String> p : query.parameters().entrySet()) {
      uri.append('&').append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
          .append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri.toString()))
        .GET()
        .timeout(query.timeout())
        .header("Accept", "application/json")
        .header("User-Agent", "legit-scaler");
    query.headers().forEach(b::setHeader);
    // The server-wide token wins over a metadata header of the same name: metadata cannot override it.
    bearerToken.flatMap(BearerTokenFile::current)
        .ifPresent(token -> b.setHeader("Authorization", "Bearer " + token));
    return b.build();
  }

  private SignalException timeout(PrometheusQuery query, Exception e) {
    return new SignalException("timeout",
        "no answer from " + serverAddress + " within " + query.timeout().toMillis() + " ms", e);
  }

  private SignalException transportFailure(PrometheusQuery query, Throwable cause) {
    if (cause instanceof BoundedBody.TooLarge) {
      return new SignalException("bad_response", serverAddress + " sent an " + cause.getMessage()
          + "; does the query select more than intended?", cause);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new SignalException("connect",
          "no connection to " + serverAddress + " within " + query.timeout().toMillis() + " ms", cause);
    }
    if (cause instanceof HttpTimeoutException e) {
      return timeout(query, e);
    }
    if (cause instanceof IOException e) {
      return new SignalException("connect", transportMessage(e), e);
    }
    return new SignalException("connect", "query to " + serverAddress + " failed: " + cause, cause);
  }

  private String transportMessage(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return "cannot connect to " + serverAddress + ": " + t.getClass().getSimpleName()
            + (t.getMessage() == null ? "" : " " + t.getMessage());
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "cannot resolve the host of " + serverAddress;
      }
    }
    return "connection to " + serverAddress + " failed: " + e;
  }

  void markClosed() {
    closed = true;
  }
}
