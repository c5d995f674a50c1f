package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ServerDefaults;

/** One Prometheus HTTP client per server address, shared by every Watch that queries it. */
public final class PrometheusClientPool implements AutoCloseable {
  public PrometheusClientPool(ServerDefaults defaults) {
  }

  @Override
  public void close() {
  }
}
