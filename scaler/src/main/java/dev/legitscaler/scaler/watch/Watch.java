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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
  private final Semaphore refreshPermits;
  private final Function<String, Semaphore> backendPermits;
  // A lock instead of the monitor: close() must be able to give up waiting for a hanging refresh.
  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean closing;

  // Guarded by lock: only the refresher (and close) touch these.
  private final Signal<LoadReading> load;
  private final Signal<LagReading> lag;
  private final Signal<LegitimacyReading> legitimacy;
  private DecisionState state = DecisionState.INITIAL;
  private ScheduledFuture<?> task; // guarded by this
  private ScheduledExecutorService scheduler; // guarded by this: where retries of a busy refresh run
  private volatile boolean closed; // written under lock

  Watch(ScalerConfig config, Clock clock, WatchObserver observer) {
    this(config, clock, observer, new Semaphore(Integer.MAX_VALUE));
  }

  /** A Watch whose backend calls are not limited (only its namespace's refreshes are). */
  Watch(ScalerConfig config, Clock clock, WatchObserver observer, Semaphore refreshPermits) {
    this(config, clock, observer, refreshPermits, backend -> new Semaphore(Integer.MAX_VALUE));
  }

  /**
   * @param refreshPermits shared by the watches of one namespace: a refresh runs only with a permit, so a
   *     namespace whose backends hang holds at most that many refresh threads
   * @param backendPermits the permits of one backend, shared by every watch that calls it: a call runs only
   *     with a permit, so a backend that hangs holds at most that many refresh threads, whoever uses it
   */
  Watch(ScalerConfig config, Clock clock, WatchObserver observer, Semaphore refreshPermits,
      Function<String, Semaphore> backendPermits) {
    this.refreshPermits = refreshPermits;
    this.backendPermits = backendPermits;
    this.config = config;
    this.clock = clock;
    this.observer = observer;
    this.lastAccess = clock.instant();
    this.load = new Signal<>("load", "prometheus", config.load().map(l -> l.opener()),
        config.load().flatMap(l -> l.backend()), "no loadQuery in the metadata");
    this.lag = new Signal<>("lag", "kafka", config.lag().map(l -> l.opener()), config.lag().flatMap(l -> l.backend()),
        "no Kafka lag keys in the metadata");
    this.legitimacy = new Signal<>("legitimacy", config.legitimacySource().backend(),
        config.legitimacy().map(l -> l.opener()), config.legitimacy().flatMap(l -> l.backend()),
        "legitimacySource is none");
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

  private void refreshQuietly() {
    attempt(0, true);
  }

  /**
   * One try of the scheduled refresh. A permit that is taken (another refresh of the namespace, or
   * another call to the same backend, is running) is usually taken for milliseconds, by a healthy
   * backend under load: the try is repeated a little later without holding a thread
   * ({@link #retryDelayMillis}), and only a permit still taken after half the interval (a slow or dead
   * backend) skips this interval's call, as before.
   *
   * @param fresh whether this interval's refresh has not fetched anything yet (a retry after a busy
   *     backend fetches only the signals still due)
   */
  private void attempt(int retry, boolean fresh) {
    if (!refreshPermits.tryAcquire()) {
      if (!retryLater(retry, fresh)) {
        observer.onRefreshSkipped(config.namespace());
      }
      return;
    }
    try {
      lock.lock();
      try {
        refreshLocked(retry, fresh);
      } finally {
        if (closing && !closed) {
          closeLocked();
        }
        lock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.warn("event=refresh_failed watch={} error=\"{}\"", config.key(), SafeText.bounded(e.toString(), 600));
    } finally {
      refreshPermits.release();
    }
  }

  /** The first retry's delay; each further one doubles it. */
  static final long FIRST_RETRY_MILLIS = 5;

  /**
   * The delay before retry number {@code retry} (0 = the first) of a refresh whose permit was taken, or
   * -1 when the retries so far and this one would wait more than half of {@code interval} in all: past
   * that the refresh gives up until the next interval, so retries never run into it.
   */
  static long retryDelayMillis(int retry, Duration interval) {
    if (retry < 0 || retry > 30) {
      return -1;
    }
    long waitedThen = FIRST_RETRY_MILLIS * ((1L << (retry + 1)) - 1);
    return waitedThen * 2 <= interval.toMillis() ? FIRST_RETRY_MILLIS << retry : -1;
  }

  private boolean retryLater(int retry, boolean fresh) {
    long delay = retryDelayMillis(retry, config.refreshInterval());
    if (delay < 0 || closing) {
      return false;
    }
    synchronized (this) {
      if (scheduler == null || task == null || task.isCancelled()) {
        return false;
      }
      try {
        scheduler.schedule(() -> attempt(retry + 1, fresh), delay, TimeUnit.MILLISECONDS);
        return true;
      } catch (RejectedExecutionException e) {
        return false; // the pool is shutting down
      }
    }
  }

  /** One refresh: fetch every configured signal (a busy backend's call is skipped), decide, publish. */
  public void refreshNow() {
    lock.lock();
    try {
      refreshLocked(NO_RETRY, true);
    } finally {
      if (closing && !closed) {
        closeLocked(); // close() gave up waiting for this refresh: release the sources now
      }
      lock.unlock();
    }
  }

  private static final int NO_RETRY = -1;

  /**
   * Fetches the signals still due in this interval; when a backend was busy and {@code retry} may be
   * followed by another one, returns without deciding (a retry fetches the rest); otherwise decides and
   * publishes with what it has, the busy signals keeping their last reading.
   */
  private void refreshLocked(int retry, boolean fresh) {
    if (closed || closing) {
      return;
    }
    if (fresh) {
      load.due = lag.due = legitimacy.due = true; // a new interval
    }
    boolean busy = !load.fetchIfDue(clock) | !lag.fetchIfDue(clock) | !legitimacy.fetchIfDue(clock);
    if (busy && retry != NO_RETRY && retryLater(retry, false)) {
      return;
    }
    load.skipIfDue();
    lag.skipIfDue();
    legitimacy.skipIfDue();
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
    private final Semaphore permits; // of the backend this signal calls, shared with its other users
    private SignalSource<R> source;
    private SignalHistory<R> history;
    private boolean due = true; // this interval's call has not run yet

    Signal(String name, String backend, Optional<Supplier<SignalSource<R>>> opener, Optional<String> backendKey,
        String offReason) {
      this.name = name;
      this.backend = backend;
      this.opener = opener;
      this.permits = backendKey.map(backendPermits)
          .orElseGet(() -> new Semaphore(Integer.MAX_VALUE));
      this.history = opener.isPresent() ? SignalHistory.pending() : SignalHistory.off(offReason);
    }

    /**
     * Fetches when this interval's call is still due; false when the backend's permits are all taken
     * (the call stays due: the refresh retries it, or gives up with {@link #skipIfDue}).
     */
    boolean fetchIfDue(Clock clock) {
      if (opener.isEmpty() || !due) {
        return true;
      }
      if (!permits.tryAcquire()) {
        return false;
      }
      try {
        fetchWithPermit(clock);
      } finally {
        permits.release();
        due = false;
      }
      return true;
    }

    /**
     * Gives up this interval's call if it is still due: other calls kept this backend busy (slow or
     * dead) for the whole retry budget; the last reading ages and goes stale like any missed refresh.
     */
    void skipIfDue() {
      if (opener.isPresent() && due) {
        due = false;
        observer.onBackendCallSkipped(name);
      }
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
