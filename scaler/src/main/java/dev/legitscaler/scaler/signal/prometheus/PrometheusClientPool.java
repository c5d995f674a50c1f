package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.HashMap;
import java.util.Map;

/**
 * One Prometheus HTTP client per server address, shared by every Watch that queries it. Reference
 * counted: each {@link #acquire} needs one {@link #release}; the client is closed when its last user
 * releases it, so a server no ScaledObject points at any more holds no threads or connections.
 */
public final class PrometheusClientPool implements AutoCloseable {
  private final ServerDefaults defaults;
  // one reader per token file (a file may serve several declared backends)
  private final Map<java.nio.file.Path, BearerTokenFile> tokenFiles = new HashMap<>();
  private final Map<String, Entry> clients = new HashMap<>();
  private boolean closed;

  public PrometheusClientPool(ServerDefaults defaults) {
    this.defaults = defaults;
  }

  /**
   * The shared client for {@code serverAddress} (as normalized by the config classes), created on first
   * use. The token of the declared backend with exactly this address is attached ({@link BearerTokenFile#fileFor}); any
   * other address gets no credential.
   */
  public synchronized PrometheusClient acquire(String serverAddress) {
    if (closed) {
      throw new IllegalStateException("Prometheus client pool is closed");
    }
    Entry e = clients.computeIfAbsent(serverAddress, address -> new Entry(new PrometheusClient(address,
        BearerTokenFile.fileFor(defaults, address).map(f -> tokenFiles.computeIfAbsent(f, BearerTokenFile::new)),
        connectTimeout())));
    e.users++;
    return e.client;
  }

  // Connecting is bounded by the server-wide timeout; each query's own timeout bounds the whole call.
  private java.time.Duration connectTimeout() {
    java.time.Duration t = defaults.prometheusTimeout();
    return t == null || t.isNegative() || t.isZero() ? java.time.Duration.ofSeconds(3) : t;
  }

  /** Gives back one acquisition of {@code client}; closes it when that was the last one. */
  public synchronized void release(PrometheusClient client) {
    Entry e = clients.get(client.serverAddress());
    if (e == null || e.client != client) {
      return; // already closed by the pool's own close(), or not from this pool
    }
    if (--e.users == 0) {
      clients.remove(client.serverAddress());
      client.close();
    }
  }

  /** Number of server addresses with an open client (for /metrics and tests). */
  public synchronized int openClients() {
    return clients.size();
  }

  /** Users of the client for {@code serverAddress}; 0 when there is none. */
  public synchronized int users(String serverAddress) {
    Entry e = clients.get(serverAddress);
    return e == null ? 0 : e.users;
  }

  /** Closes every client, whoever still holds it (server shutdown). */
  @Override
  public synchronized void close() {
    closed = true;
    clients.values().forEach(e -> e.client.close());
    clients.clear();
  }

  private static final class Entry {
    final PrometheusClient client;
    int users;

    Entry(PrometheusClient client) {
      this.client = client;
    }
  }
}
