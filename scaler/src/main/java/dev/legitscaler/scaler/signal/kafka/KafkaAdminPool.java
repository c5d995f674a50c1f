package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One Kafka Admin client per bootstrap servers + client (security) properties, shared by every Watch
 * that reads the same cluster and reference-counted: the Admin is created by the first
 * {@link #acquire} and closed when its last {@link Lease} is released.
 *
 * <p>Timeouts are bounded so a dead broker fails a fetch within {@link #apiTimeout()} instead of
 * hanging the Watch's refresher (the Admin default would be 60 s).
 */
public final class KafkaAdminPool implements AutoCloseable {
  /** Bounds of the derived API timeout: long enough for a loaded broker, short enough to not stall. */
  static final Duration MIN_API_TIMEOUT = Duration.ofSeconds(1);
  static final Duration MAX_API_TIMEOUT = Duration.ofSeconds(5);

  private record Key(List<String> bootstrapServers, Map<String, String> clientProperties) {}

  private static final class Shared {
    final Admin admin;
    int users;

    Shared(Admin admin) {
      this.admin = admin;
    }
  }

  private final Duration apiTimeout;
  private final Map<Key, Shared> admins = new HashMap<>();
  private final AtomicLong clientIds = new AtomicLong();
  private boolean closed;

  /** API timeout derived from the refresh interval: a fetch should end before the next one is due. */
  public KafkaAdminPool(ServerDefaults defaults) {
    this(clamp(defaults.refreshInterval()));
  }

  public KafkaAdminPool(Duration apiTimeout) {
    if (apiTimeout.isNegative() || apiTimeout.isZero()) {
      throw new IllegalArgumentException("apiTimeout must be > 0, got " + apiTimeout);
    }
    this.apiTimeout = apiTimeout;
  }

  private static Duration clamp(Duration d) {
    if (d.compareTo(MIN_API_TIMEOUT) < 0) {
      return MIN_API_TIMEOUT;
    }
    return d.compareTo(MAX_API_TIMEOUT) > 0 ? MAX_API_TIMEOUT : d;
  }

  /** The upper bound of one fetch against a broker that does not answer. */
  public Duration apiTimeout() {
    return apiTimeout;
  }

  /** A share of the Admin client for the config's cluster; release it with {@link Lease#close()}. */
  public Lease acquire(KafkaLagConfig config) {
    return acquire(config.bootstrapServers(), config.clientProperties());
  }

  public synchronized Lease acquire(List<String> bootstrapServers, Map<String, String> clientProperties) {
    if (closed) {
      throw new IllegalStateException("KafkaAdminPool is closed");
    }
    Key key = new Key(List.copyOf(bootstrapServers), Map.copyOf(clientProperties));
    Shared shared = admins.computeIfAbsent(key, k -> new Shared(createAdmin(k)));
    shared.users++;
    return new Lease(key, shared.admin);
  }

  /** Number of Admin clients currently open (one per distinct cluster + properties in use). */
  public synchronized int openClients() {
    return admins.size();
  }

  private void release(Key key) {
    Admin unused = null;
    synchronized (this) {
      Shared shared = admins.get(key);
      if (shared == null) {
        return; // the pool was closed meanwhile
      }
      if (--shared.users == 0) {
        admins.remove(key);
        unused = shared.admin;
      }
    }
    if (unused != null) {
      closeQuietly(unused); // outside the lock: closing may wait for in-flight requests
    }
  }

  private Admin createAdmin(Key key) {
    Map<String, Object> props = new HashMap<>(key.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", key.bootstrapServers()));
    props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "legit-scaler-lag-" + clientIds.incrementAndGet());
    int timeoutMs = (int) apiTimeout.toMillis();
    // Bounded waits: each request, the whole API call, connection setup and backoffs, so a dead
    // broker turns into a TimeoutException within apiTimeout and a restarted one is found quickly.
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    props.putIfAbsent(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 1000));
    props.putIfAbsent(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, timeoutMs);
    props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.putIfAbsent(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 1000);
    return Admin.create(props);
  }

  private void closeQuietly(Admin admin) {
    try {
      admin.close(apiTimeout);
    } catch (RuntimeException e) {
      // closing is best effort: a failed close must not break the caller's cleanup
    }
  }

  /** Closes every Admin client, whatever leases are still out (server shutdown). */
  @Override
  public synchronized void close() {
    closed = true;
    admins.values().forEach(s -> closeQuietly(s.admin));
    admins.clear();
  }

  /** One user's share of a pooled Admin client. Closing it twice releases it once. */
  public final class Lease implements AutoCloseable {
    private final Key key;
    private final Admin admin;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Key key, Admin admin) {
      this.key = key;
      this.admin = admin;
    }

    public Admin admin() {
      if (released.get()) {
        throw new IllegalStateException("lease already released");
      }
      return admin;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(key);
      }
    }
  }
}
