package dev.legitscaler.scaler.watch;

import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.source.SignalFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every watched trigger, keyed by namespace/name + metadata hash. A Watch is created (config parsed,
 * refresher started) the first time KEDA asks about a trigger and closed after {@code watchIdleExpiry}
 * without calls, releasing its sources. All refreshers share one small scheduled pool.
 */
public final class Registry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final ServerDefaults defaults;
  private final SignalFactory signals;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final WatchObserver observer;
  private final Map<WatchKey, Watch> watches = new ConcurrentHashMap<>();
  private final ServerLimits limits;
  // Guarded by this: the admission counters (creation is rare; lookups of existing watches skip it).
  private final Map<String, Integer> perNamespace = new HashMap<>();
  private final Map<String, RefreshPermits> refreshPermits = new ConcurrentHashMap<>();
  // One entry per backend ever used: declared backends, or undeclared addresses (each tied to a watch
  // admitted under --max-watches, so the map stays bounded by what the limits admit).
  private final Map<String, RefreshPermits> backendPermits = new ConcurrentHashMap<>();
  private long estimatedBytes;
  private final Map<String, String> refusals = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_REMEMBERED_REFUSALS;
    }
  };
  private static final int MAX_REMEMBERED_REFUSALS = 1000;

  public Registry(ServerDefaults defaults, SignalFactory signals, ScheduledExecutorService scheduler, Clock clock,
      WatchObserver observer) {
    this(defaults, ServerLimits.defaults(), signals, scheduler, clock, observer);
  }

  public Registry(ServerDefaults defaults, ServerLimits limits, SignalFactory signals,
      ScheduledExecutorService scheduler, Clock clock, WatchObserver observer) {
    this.limits = limits;
    this.defaults = defaults;
    this.signals = signals;
    this.scheduler = scheduler;
    this.clock = clock;
    this.observer = observer;
  }

  /**
   * The Watch for this trigger, created on first sight. Parsing happens once per distinct metadata;
   * throws {@link dev.legitscaler.scaler.config.ConfigException} for bad metadata (nothing is created).
   * Never does backend I/O: sources are opened by the refresher.
   */
  public Watch watch(String namespace, String name, Map<String, String> metadata) {
    return watch(WatchKey.of(namespace, name, metadata), namespace, name, metadata);
  }

  /**
   * As {@link #watch(String, String, Map)} with the key already computed by the caller (the gRPC
   * handlers cache keys per request message: hashing the metadata is the costly part of a lookup).
   * {@code key} must be {@code WatchKey.of(namespace, name, metadata)}.
   */
  public Watch watch(WatchKey key, String namespace, String name, Map<String, String> metadata) {
    Watch w = watches.get(key);
    if (w == null) {
      limits.checkMetadataSize(metadata);
      ScalerConfig config = ScalerConfig.parse(namespace, name, metadata, defaults, signals, limits.strictMetadata());
      w = admit(key, config);
      observer.onWatchCount(watches.size());
    }
    w.touch();
    return w;
  }

  public ServerLimits limits() {
    return limits;
  }

  /** Creates the Watch unless a server-wide limit refuses it (then nothing is created). */
  private synchronized Watch admit(WatchKey key, ScalerConfig config) {
    Watch existing = watches.get(key);
    if (existing != null) {
      return existing;
    }
    String ns = config.namespace();
    int inNamespace = perNamespace.getOrDefault(ns, 0);
    long bytes = config.estimatedBytes();
    if (watches.size() >= limits.maxWatches()) {
      throw refuse(config, "watches", "the server watches " + watches.size() + " triggers, its limit"
          + " (--max-watches " + limits.maxWatches() + "); " + key + " is not watched");
    }
    if (inNamespace >= limits.maxWatchesPerNamespace()) {
      throw refuse(config, "watches_per_namespace", "namespace " + ns + " has " + inNamespace
          + " watched triggers, the limit per namespace (--max-watches-per-namespace "
          + limits.maxWatchesPerNamespace() + "); " + key + " is not watched");
    }
    if (estimatedBytes + bytes > limits.triggerMemoryBudgetBytes()) {
      throw refuse(config, "memory_budget", "the trigger's scorer state needs " + mib(bytes) + " MiB and "
          + mib(limits.triggerMemoryBudgetBytes() - estimatedBytes) + " MiB of the server's budget are left"
          + " (--trigger-memory-budget " + mib(limits.triggerMemoryBudgetBytes()) + " MiB, "
          + mib(estimatedBytes) + " MiB in use); " + key + " is not watched");
    }
    RefreshPermits permits = refreshPermits.computeIfAbsent(ns,
        n -> new RefreshPermits(limits.maxConcurrentRefreshesPerNamespace()));
    Watch created = new Watch(config, clock, observer, permits, backend -> backendPermits.computeIfAbsent(backend,
        b -> new RefreshPermits(limits.maxConcurrentRefreshesPerBackend())));
    watches.put(key, created);
    perNamespace.merge(ns, 1, Integer::sum);
    estimatedBytes += bytes;
    refusals.remove(ns + "/" + config.name());
    created.start(scheduler);
    if (!config.unknownKeys().isEmpty()) {
      observer.onUnknownKeys(ns, config.unknownKeys().size());
      config.unknownKeys().forEach((k, suggestion) -> LOG.warn("event=unknown_key watch={} key={} suggestion={}",
          key, k, suggestion.isEmpty() ? "-" : suggestion));
    }
    LOG.info("event=watch_created watch={} metric={} signals={} estimated_bytes={}", key, config.metricName(),
        signalsOf(config), bytes);
    return created;
  }

  private WatchRefusedException refuse(ScalerConfig config, String limit, String message) {
    refusals.put(config.namespace() + "/" + config.name(), message);
    observer.onRefused(config.namespace(), limit);
    LOG.warn("event=watch_refused namespace={} scaled_object={} limit={}", config.namespace(), config.name(), limit);
    return new WatchRefusedException(limit, message);
  }

  /** Why the last attempt to watch a trigger of this ScaledObject was refused by a limit, if it was. */
  public synchronized Optional<String> refusal(String namespace, String name) {
    return Optional.ofNullable(refusals.get(namespace + "/" + name));
  }

  private synchronized void forget(Watch w) {
    String ns = w.config().namespace();
    perNamespace.computeIfPresent(ns, (k, n) -> n <= 1 ? null : n - 1);
    estimatedBytes -= w.config().estimatedBytes();
  }

  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  private static String signalsOf(ScalerConfig c) {
    StringBuilder sb = new StringBuilder();
    c.load().ifPresent(l -> sb.append("load,"));
    c.lag().ifPresent(l -> sb.append("lag,"));
    c.legitimacy().ifPresent(l -> sb.append("legitimacy-").append(c.legitimacySource().keyword()).append(','));
    return sb.length() == 0 ? "-" : sb.substring(0, sb.length() - 1);
  }

  public Optional<Watch> find(WatchKey key) {
    return Optional.ofNullable(watches.get(key));
  }

  /** Watches of one ScaledObject (one per distinct trigger metadata), by metric name. */
  public List<Watch> find(String namespace, String name) {
    return watches.values().stream()
        .filter(w -> w.config().namespace().equals(namespace) && w.config().name().equals(name))
        .sorted(Comparator.comparing(w -> w.config().metricName()))
        .toList();
  }

  public List<Watch> all() {
    return watches.values().stream()
        .sorted(Comparator.comparing((Watch w) -> w.config().namespace()).thenComparing(w -> w.config().name())
            .thenComparing(w -> w.config().metricName()))
        .toList();
  }

  public int size() {
    return watches.size();
  }

  /** Closes every Watch idle for longer than watchIdleExpiry; returns how many. */
  public int expireIdle() {
    Instant cutoff = clock.instant().minus(defaults.watchIdleExpiry());
    int expired = 0;
    for (Map.Entry<WatchKey, Watch> e : watches.entrySet()) {
      Watch w = e.getValue();
      if (!w.hasSubscribers() && w.lastAccess().isBefore(cutoff) && watches.remove(e.getKey(), w)) {
        forget(w);
        w.close();
        observer.onClosed(w.config());
        LOG.info("event=watch_expired watch={} idle_for={}s", e.getKey(),
            Duration.between(w.lastAccess(), clock.instant()).toSeconds());
        expired++;
      }
    }
    if (expired > 0) {
      observer.onWatchCount(watches.size());
    }
    return expired;
  }

  /** Runs {@link #expireIdle()} periodically on the shared pool. */
  public void startExpiry() {
    long period = Math.max(1000, Math.min(30_000, defaults.watchIdleExpiry().toMillis() / 4));
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        expireIdle();
      } catch (RuntimeException e) {
        LOG.warn("event=expiry_failed error={}", e.toString());
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /** Closes every Watch (server shutdown). */
  @Override
  public void close() {
    for (Map.Entry<WatchKey, Watch> e : watches.entrySet()) {
      if (watches.remove(e.getKey(), e.getValue())) {
        forget(e.getValue());
        e.getValue().close();
        observer.onClosed(e.getValue().config());
      }
    }
    observer.onWatchCount(0);
  }
}
