package dev.legitscaler.scaler.watch;

import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.decision.Decision;
import dev.legitscaler.scaler.decision.DecisionInput;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.DecisionState;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.text.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched trigger: its parsed config, a background refresher that owns all of its I/O, and the
 * latest immutable {@link Snapshot}. RPC handlers only call {@link #current()}, {@link #touch()} and
 * {@link #subscribe}.
 */
public final class Watch {
  private static final Logger LOG = LoggerFactory.getLogger(Watch.class);

  private final ScalerConfig config;
  private final Clock clock;
  private final WatchObserver observer;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final CompletableFuture<Snapshot> first = new CompletableFuture<>();
  private final CopyOnWriteArrayList<Consumer<Snapshot>> subscribers = new CopyOnWriteArrayList<>();
  private volatile Instant lastAccess;
  private final RefreshPermits refreshPermits;
  private final List<RefreshPermits> backendOrder; // of the configured signals, distinct, by backend name
  // A lock instead of the monitor: close() must be able to give up waiting for a hanging refresh.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closing;
  // Set while this interval's refresh waits or runs: the next interval's starts only after it, so a watch
  // whose refresh is slow never has a second one queue behind its lock on a pool thread.
  private final AtomicBoolean refreshInFlight = new AtomicBoolean();

  // Guarded by lock: only the refresher (and close) touch these.
  private final Signal<LoadReading> load;
  private final Signal<LagReading> lag;
  private final Signal<LegitimacyReading> legitimacy;
  private DecisionState state = DecisionState.INITIAL;
  private ScheduledFuture<?> task; // guarded by this
  private ScheduledExecutorService scheduler; // guarded by this: where refreshes run and wait
  private volatile boolean closed; // written under lock

  Watch(ScalerConfig config, Clock clock, WatchObserver observer) {
    this(config, clock, observer, RefreshPermits.unlimited());
  }

  /** A Watch whose backend calls are not limited (only its namespace's refreshes are). */
  Watch(ScalerConfig config, Clock clock, WatchObserver observer, RefreshPermits refreshPermits) {
    this(config, clock, observer, refreshPermits, backend -> RefreshPermits.unlimited());
  }

  /**
   * @param refreshPermits shared by the watches of one namespace: a refresh runs only with a permit, so a
   *     namespace whose backends hang holds at most that many refresh threads
   * @param backendPermits the permits of one backend, shared by every watch that calls it: a call runs only
   *     with a permit, so a backend that hangs holds at most that many refresh threads, whoever uses it
   */
  Watch(ScalerConfig config, Clock clock, WatchObserver observer, RefreshPermits refreshPermits,
      Function<String, RefreshPermits> backendPermits) {
    this.refreshPermits = refreshPermits;
    this.config = config;
    this.clock = clock;
    this.observer = observer;
    this.lastAccess = clock.instant();
    // one permits object per backend, even for two signals that call the same one
    TreeMap<String, RefreshPermits> byName = new TreeMap<>();
    Function<Optional<String>, RefreshPermits> permitsOf = backend ->
        backend.map(b -> byName.computeIfAbsent(b, backendPermits)).orElse(null);
    this.load = new Signal<>("load", "prometheus", config.load().map(l -> l.opener()),
        permitsOf.apply(config.load().flatMap(l -> l.backend())), "no loadQuery in the metadata");
    this.lag = new Signal<>("lag", "kafka", config.lag().map(l -> l.opener()),
        permitsOf.apply(config.lag().flatMap(l -> l.backend())), "no Kafka lag keys in the metadata");
    this.legitimacy = new Signal<>("legitimacy", config.legitimacySource().backend(),
        config.legitimacy().map(l -> l.opener()), permitsOf.apply(config.legitimacy().flatMap(l -> l.backend())),
        "legitimacySource is none");
    this.backendOrder = List.copyOf(byName.values());
  }

  public ScalerConfig config() {
    return config;
  }

  /** Starts the background refresher on the shared pool: now, then every refreshInterval. */
  synchronized void start(ScheduledExecutorService scheduler) {
    if (!closing && task == null) {
      this.scheduler = scheduler;
      task = scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, config.refreshInterval().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Marks that KEDA asked about this trigger (keeps the Watch from expiring). */
  public void touch() {
    lastAccess = clock.instant();
  }

  public Instant lastAccess() {
    return lastAccess;
  }

  public boolean hasSubscribers() {
    return !subscribers.isEmpty();
  }

  /** The latest snapshot, null before the first refresh (the allocation-free form for hot paths). */
  public Snapshot latest() {
    return snapshot.get();
  }

  /** The latest snapshot, empty before the first refresh. */
  public Optional<Snapshot> current() {
    return Optional.ofNullable(snapshot.get());
  }

  /** Completes with the first snapshot (a copy per caller: callers may add timeouts). */
  public CompletableFuture<Snapshot> firstSnapshot() {
    return first.copy();
  }

  /**
   * Whether this snapshot may be served at {@code now}: it must be available and its newest demand
   * reading younger than staleAfter (this also catches a refresher that stopped making progress).
   */
  public boolean servable(Snapshot s, Instant now) {
    if (!s.result().available()) {
      return false;
    }
    Instant newest = s.newestDemandReadingAtOrNull();
    return newest != null && newest.plus(config.staleAfter()).isAfter(now);
  }

  /** Calls {@code listener} after every refresh until the returned handle is closed. */
  public AutoCloseable subscribe(Consumer<Snapshot> listener) {
    subscribers.add(listener);
    return () -> {
      subscribers.remove(listener);
      touch();
    };
  }

  /**
   * This interval's refresh. It waits (without a thread) for a permit of its namespace and then for one
   * of each backend its signals call, taken in one fixed order (namespace, then backends by name) so that
   * no two refreshes can wait for each other. Permits are usually taken for milliseconds, by a healthy
   * backend under load, and are handed over first come, first served; a permit still not handed over
   * after half the interval (a slow or dead backend) skips this interval's refresh, or that backend's
   * call, as a busy backend did before.
   */
  private void refreshQuietly() {
    ScheduledExecutorService pool;
    synchronized (this) {
      pool = scheduler;
    }
    if (closing || pool == null || !refreshInFlight.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitBudgetMillis(config.refreshInterval()));
    refreshPermits.acquire(pool, millisUntil(deadline),
        () -> acquireBackends(pool, deadline, 0, new ArrayList<>()),
        () -> {
          refreshInFlight.set(false);
          observer.onRefreshSkipped(config.namespace());
        });
  }

  /** How long a refresh may wait for permits: half its interval, so waiting never runs into the next one. */
  static long waitBudgetMillis(Duration interval) {
    return Math.max(1, interval.toMillis() / 2);
  }

  private static long millisUntil(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** Holding the namespace's permit: takes the backends' from {@code next} on, then refreshes. */
  private void acquireBackends(ScheduledExecutorService pool, long deadline, int next, List<RefreshPermits> held) {
    if (next == backendOrder.size() || closing) {
      refreshHolding(held); // when closing it publishes nothing: it only returns the permits
      return;
    }
    RefreshPermits backend = backendOrder.get(next);
    backend.acquire(pool, millisUntil(deadline), () -> {
      held.add(backend);
      acquireBackends(pool, deadline, next + 1, held);
    }, () -> acquireBackends(pool, deadline, next + 1, held)); // that backend's calls are skipped this time
  }

  /** Refreshes with the permits held (the namespace's and {@code held}), then returns them all. */
  private void refreshHolding(List<RefreshPermits> held) {
    try {
      refreshUnderLock(held);
    } catch (RuntimeException e) {
      LOG.warn("event=refresh_failed watch={} error=\"{}\"", config.key(), SafeText.bounded(e.toString(), 600));
    } finally {
      for (RefreshPermits p : held) {
        p.release();
      }
      refreshPermits.release();
      refreshInFlight.set(false);
    }
  }

  /**
   * One refresh now, for tests and tools: takes only the backend permits that are free (a busy backend's
   * call is skipped) and does not wait for the namespace's.
   */
  public void refreshNow() {
    List<RefreshPermits> held = new ArrayList<>();
    for (RefreshPermits p : backendOrder) {
      if (p.tryAcquire()) {
        held.add(p);
      }
    }
    try {
      refreshUnderLock(held);
    } finally {
      held.forEach(RefreshPermits::release);
    }
  }

  private void refreshUnderLock(List<RefreshPermits> held) {
    lock.lock();
    try {
      refreshLocked(held);
    } finally {
      if (closing && !closed) {
        closeLocked(); // close() gave up waiting for this refresh: release the sources now
      }
      lock.unlock();
    }
  }

  /**
   * Fetches every configured signal whose backend's permit is held (the others keep their last reading
   * and are counted as skipped), decides and publishes.
   */
  private void refreshLocked(List<RefreshPermits> held) {
    if (closed || closing) {
      return;
    }
    load.fetchIfHeld(clock, held);
    lag.fetchIfHeld(clock, held);
    legitimacy.fetchIfHeld(clock, held);
    Instant now = clock.instant();
    DecisionInput input = new DecisionInput(load.history.state(now, config.staleAfter()),
        lag.history.state(now, config.staleAfter()), legitimacy.history.state(now, config.staleAfter()), state);
    DecisionResult result = Decision.decide(config.policy(), input);
    state = state.after(result);
    Snapshot previous = snapshot.get();
    Snapshot s = new Snapshot(now, input, result, load.history, lag.history, legitimacy.history);
    snapshot.set(s);
    logTransition(previous, s);
    first.complete(s);
    observer.onSnapshot(config, s);
    for (Consumer<Snapshot> c : subscribers) {
      try {
        c.accept(s);
      } catch (RuntimeException e) {
        LOG.warn("event=subscriber_failed watch={} error={}", config.key(), e.toString());
      }
    }
    if (hasSubscribers()) {
      touch(); // an open stream means KEDA is still interested
    }
  }

  private void logTransition(Snapshot previous, Snapshot s) {
    String before = previous == null ? "none" : previous.result().state();
    if (!before.equals(s.result().state())) {
      LOG.info("event=state_changed watch={} from={} to={} value={}", config.key(), before, s.result().state(),
          s.result().value());
    }
  }

  /**
   * Stops the refresher and closes the sources. Waits at most {@link #CLOSE_WAIT} for an in-flight
   * refresh; past that the refresh closes the sources itself when its backend call returns.
   */
  public void close() {
    closing = true;
    synchronized (this) {
      if (task != null) {
        task.cancel(false);
      }
    }
    first.completeExceptionally(new IllegalStateException("watch closed"));
    boolean locked;
    try {
      locked = lock.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      locked = false;
    }
    if (!locked) {
      LOG.warn("event=close_deferred watch={} reason=refresh_in_flight", config.key());
      return;
    }
    try {
      closeLocked();
    } finally {
      lock.unlock();
    }
  }

  /** How long close() waits for an in-flight refresh before leaving the sources to it. */
  static final Duration CLOSE_WAIT = Duration.ofMillis(500);

  private void closeLocked() {
    if (closed) {
      return;
    }
    closed = true;
    load.close();
    lag.close();
    legitimacy.close();
  }

  public boolean closed() {
    return closing || closed;
  }

  /** One configured (or off) signal: its lazily opened source and its history. */
  private final class Signal<R> {
    private final String name;
    private final String backend;
    private final Optional<Supplier<SignalSource<R>>> opener;
    private final RefreshPermits permits; // of the backend this signal calls (shared), null if none
    private SignalSource<R> source;
    private SignalHistory<R> history;

    Signal(String name, String backend, Optional<Supplier<SignalSource<R>>> opener, RefreshPermits permits,
        String offReason) {
      this.name = name;
      this.backend = backend;
      this.opener = opener;
      this.permits = permits;
      this.history = opener.isPresent() ? SignalHistory.pending() : SignalHistory.off(offReason);
    }

    /** Fetches when this signal is configured and its backend's permit is among {@code held}. */
    void fetchIfHeld(Clock clock, List<RefreshPermits> held) {
      if (opener.isEmpty()) {
        return;
      }
      if (permits != null && !held.contains(permits)) {
        // the backend stayed busy (slow or dead) for the whole wait: the last reading ages and goes
        // stale like any missed refresh
        observer.onBackendCallSkipped(name);
        return;
      }
      fetchWithPermit(clock);
    }

    private void fetchWithPermit(Clock clock) {
      long start = System.nanoTime();
      try {
        if (source == null) {
          source = opener.get().get();
        }
        R r = source.fetch();
        observer.onFetch(backend, Duration.ofNanos(System.nanoTime() - start), Optional.empty());
        if (history.lastFetchFailed()) {
          LOG.info("event=signal_recovered watch={} signal={} after_failures={}", config.key(), name,
              history.consecutiveFailures());
        }
        history = history.succeeded(r, clock.instant());
      } catch (SignalException e) {
        failed(e.category(), e.getMessage(), start);
      } catch (RuntimeException e) {
        // an unexpected exception's message may quote upstream text: escaped and bounded like SignalException's
        failed("internal", SafeText.bounded(e.getClass().getSimpleName() + ": " + e.getMessage(), 600), start);
      }
    }

    private void failed(String category, String message, long start) {
      observer.onFetch(backend, Duration.ofNanos(System.nanoTime() - start), Optional.of(category));
      if (!history.lastFetchFailed()) {
        LOG.warn("event=signal_failed watch={} signal={} cause={} message=\"{}\"", config.key(), name, category,
            message);
      }
      history = history.failed(category, message, clock.instant());
    }

    void close() {
      if (source != null) {
        try {
          source.close();
        } catch (RuntimeException e) {
          LOG.warn("event=source_close_failed watch={} signal={} error={}", config.key(), name, e.toString());
        }
        source = null;
      }
    }
  }
}
