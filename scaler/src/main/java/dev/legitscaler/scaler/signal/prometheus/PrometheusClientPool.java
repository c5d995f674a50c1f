package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ServerDefaults;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Prometheus clients shared by every Watch that queries the same server address, over one HTTP
 * transport (connection pool, executor, selector thread) per address origin (scheme, host, port):
 * many URL paths on one server cost one transport, not one each. Reference counted: each
 * {@link #acquire} needs one {@link #release}; a client and its transport are closed when their last
 * user releases them, so a server no ScaledObject points at any more holds no threads or connections.
 * The number of transports is capped ({@code maxTransports}); past it, acquiring a new origin fails.
 */
public final class PrometheusClientPool implements AutoCloseable {
  /** Distinct Prometheus origins at once, when the caller does not say. */
  public static final int DEFAULT_MAX_TRANSPORTS = 256;

  private final ServerDefaults defaults;
  // one reader per token file (a file may serve several declared backends)
  private final Map<java.nio.file.Path, BearerTokenFile> tokenFiles = new HashMap<>();
  private final int maxSeries;
  private final int maxTransports;
  private final Map<String, Entry> clients = new HashMap<>();
  private final Map<String, TransportEntry> transports = new HashMap<>();
  private boolean closed;

  public PrometheusClientPool(ServerDefaults defaults) {
    this(defaults, Integer.MAX_VALUE);
  }

  public PrometheusClientPool(ServerDefaults defaults, int maxSeries) {
    this(defaults, maxSeries, DEFAULT_MAX_TRANSPORTS);
  }

  public PrometheusClientPool(ServerDefaults defaults, int maxSeries, int maxTransports) {
    this.defaults = defaults;
    this.maxSeries = maxSeries;
    this.maxTransports = maxTransports;
  }

  /**
   * The shared client for {@code serverAddress} (as normalized by the config classes), created on first
   * use. The token of the declared backend with exactly this address is attached ({@link BearerTokenFile#fileFor}); any
   * other address gets no credential.
   *
   * @throws LimitReached when a new origin would exceed the transport cap
   */
  public synchronized PrometheusClient acquire(String serverAddress) {
    if (closed) {
      throw new IllegalStateException("Prometheus client pool is closed");
    }
    Entry e = clients.get(serverAddress);
    if (e == null) {
      String origin = origin(serverAddress);
      TransportEntry t = transports.get(origin);
      if (t == null) {
        if (transports.size() >= maxTransports) {
          throw new LimitReached("the server already talks to " + transports.size()
              + " Prometheus origins, its limit; " + origin + " is refused");
        }
        t = new TransportEntry(PrometheusTransport.open(origin, connectTimeout()));
        transports.put(origin, t);
      }
      t.users++;
      e = new Entry(new PrometheusClient(serverAddress,
          BearerTokenFile.fileFor(defaults, serverAddress).map(f -> tokenFiles.computeIfAbsent(f, BearerTokenFile::new)), t.transport,
          maxSeries), origin);
      clients.put(serverAddress, e);
    }
    e.users++;
    return e.client;
  }

  /** scheme://host[:port] of a normalized server address. */
  static String origin(String serverAddress) {
    URI u = URI.create(serverAddress);
    return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
  }

  // Connecting is bounded by the server-wide timeout; each query's own timeout bounds the whole call.
  private java.time.Duration connectTimeout() {
    java.time.Duration t = defaults.prometheusTimeout();
    return t == null || t.isNegative() || t.isZero() ? java.time.Duration.ofSeconds(3) : t;
  }

  /** Gives back one acquisition of {@code client}; closes it (and its transport) when that was the last one. */
  public synchronized void release(PrometheusClient client) {
    Entry e = clients.get(client.serverAddress());
    if (e == null || e.client != client) {
      return; // already closed by the pool's own close(), or not from this pool
    }
    if (--e.users == 0) {
      clients.remove(client.serverAddress());
      client.markClosed();
      TransportEntry t = transports.get(e.origin);
      if (t != null && --t.users == 0) {
        transports.remove(e.origin);
        t.transport.close();
      }
    }
  }

  /** Number of server addresses with an open client (for /metrics and tests). */
  public synchronized int openClients() {
    return clients.size();
  }

  /** Number of origins with an open HTTP transport (threads and connections). */
  public synchronized int openTransports() {
    return transports.size();
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
    clients.values().forEach(e -> e.client.markClosed());
    clients.clear();
    transports.values().forEach(t -> t.transport.close());
    transports.clear();
  }

  /** A cap of the pool is reached: the trigger's refresh fails with this message until others go. */
  public static final class LimitReached extends RuntimeException {
    LimitReached(String message) {
      super(message);
    }
  }

  private static final class Entry {
    final PrometheusClient client;
    final String origin;
    int users;

    Entry(PrometheusClient client, String origin) {
      this.client = client;
      this.origin = origin;
    }
  }

  private static final class TransportEntry {
    final PrometheusTransport transport;
    int users;

    TransportEntry(PrometheusTransport transport) {
      this.transport = transport;
    }
  }
}
