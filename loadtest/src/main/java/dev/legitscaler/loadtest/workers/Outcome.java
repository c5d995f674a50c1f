package dev.legitscaler.loadtest.workers;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/** How a replayed request ended, by cause: what the end-of-run error table is keyed by. */
public enum Outcome {
  OK("ok"),
  HTTP_4XX("http_4xx"),
  HTTP_5XX("http_5xx"),
  HTTP_OTHER("http_other"),
  TIMEOUT("timeout"),
  CONNECT("connect"),
  IO("io");

  public final String label;

  Outcome(String label) {
    this.label = label;
  }

  public boolean isError() {
    return this != OK;
  }

  static Outcome ofStatus(int status) {
    if (status >= 200 && status < 300) {
      return OK;
    }
    if (status >= 400 && status < 500) {
      return HTTP_4XX;
    }
    if (status >= 500) {
      return HTTP_5XX;
    }
    return HTTP_OTHER;
  }

  static Outcome ofFailure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return CONNECT;
    }
    if (cause instanceof HttpTimeoutException) {
      return TIMEOUT;
    }
    if (cause instanceof IOException && cause.getCause() instanceof ConnectException) {
      return CONNECT;
    }
    return IO;
  }
}
