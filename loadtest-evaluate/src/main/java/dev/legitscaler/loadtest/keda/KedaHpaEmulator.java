package dev.legitscaler.loadtest.keda;

import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.HpaController;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.hpa.ReconcileResult;
import dev.legitscaler.loadtest.hpa.ScaleTarget;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricSpecResponse;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.MetricSpec;
import dev.legitscaler.proto.externalscaler.MetricValue;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * KEDA (operator + metrics adapter) and the HPA controller for one ScaledObject, talking to real
 * external scalers over gRPC.
 *
 * <ul>
 *   <li>{@link #poll()}: the operator's loop, every {@code pollingInterval}: per trigger
 *       {@code GetMetricSpec}, then per metric {@code GetMetrics} + {@code IsActive}. It builds (and
 *       updates) the HPA from the GetMetricSpec answer and handles activation: with
 *       {@code minReplicaCount: 0} it scales 0 → 1 when a trigger is active and back to 0 after
 *       {@code cooldownPeriod} without activity.</li>
 *   <li>{@link #sync()}: one HPA reconcile, every 15 s. For each HPA metric the metrics adapter calls
 *       {@code GetMetricSpec}, then {@code GetMetrics} + {@code IsActive} (retried once, as KEDA refreshes
 *       the scaler and retries), each call under the adapter deadline (~3 s); failures go through
 *       {@link FallbackTracker}. A failing GetMetricSpec is an error that bypasses the fallback, as in KEDA.</li>
 * </ul>
 *
 * <p>The emulator owns the target's spec replicas and reports every change to the
 * {@link Listener}; the platform starts or stops replicas and reports back what exists through the
 * {@link TargetObserver}. Time comes from the injected clock; {@link #start()} only schedules
 * {@link #poll()} and {@link #sync()} at their periods. The two may also be driven by hand (tests,
 * simulations).
 */
public final class KedaHpaEmulator implements AutoCloseable {
  /** Default deadline of the metrics adapter's calls. */
  public static final Duration ADAPTER_DEADLINE = Duration.ofSeconds(3);

  /** What the platform actually runs, read at every reconcile. */
  @FunctionalInterface
  public interface TargetObserver {
    /**
     * @param specReplicas the replicas the emulator last asked for
     * @return status replicas (pods that exist) and their readiness
     */
    Observed observe(int specReplicas);

    /** The target has settled: everything asked for exists and is ready. */
    static TargetObserver settled() {
      return n -> new Observed(n, PodCounts.allReady(n));
    }
  }

  public record Observed(int statusReplicas, PodCounts pods) {}

  /** Where the emulator reports scale changes (and, optionally, every sync and poll). */
  public interface Listener {
    /** The target's spec replicas changed: start or stop replicas to match {@code change.to()}. */
    void onScale(ScaleChange change);

    /** Every HPA reconcile, for recording; default: ignored. */
    default void onSync(SyncReport report) {}

    /** Every polling cycle, for recording; default: ignored. */
    default void onPoll(PollReport report) {}
  }

  /**
   * @param source {@code hpa} (a reconcile), {@code keda-activation} (0 → 1) or {@code keda-cooldown} (→ 0)
   * @param reason the HPA reason or the activation event
   */
  public record ScaleChange(Instant at, int from, int to, String source, String reason) {}

  /**
   * @param result the reconcile, empty when there is no HPA yet (no GetMetricSpec answer so far)
   * @param fallbackMetrics HPA metric names answered by KEDA's fallback in this sync
   * @param values what the HPA saw per metric name (milli-units), or the error
   */
  public record SyncReport(Instant at, Optional<ReconcileResult> result, Set<String> fallbackMetrics, Map<String, String> values) {}

  /**
   * @param active whether any trigger reported IsActive true
   * @param errors the calls that failed, as "RPC trigger: status"
   */
  public record PollReport(Instant at, boolean active, Map<String, Long> metricMilli, List<String> errors) {}

  private final ScaledObject so;
  private final ScalerConnector connector;
  private final Clock clock;
  private final Duration deadline;
  private final TargetObserver observer;
  private final Listener listener;
  private final ControllerConfig config;
  private final FallbackTracker fallback;
  private final Map<Integer, List<MetricSpecAnswer>> specs = new HashMap<>();
  private HpaController hpa;
  private int specReplicas;
  private Instant lastActive;
  private ScheduledExecutorService scheduler;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

  private KedaHpaEmulator(Builder b) {
    this.so = b.scaledObject;
    this.connector = Objects.requireNonNull(b.connector, "connector");
    this.clock = b.clock;
    this.deadline = b.deadline;
    this.observer = b.observer;
    this.listener = Objects.requireNonNull(b.listener, "listener");
    this.config = b.config;
    this.fallback = new FallbackTracker(so.fallback());
    this.specReplicas = b.initialReplicas;
    this.lastActive = null;
  }

  public static Builder builder(ScaledObject so) {
    return new Builder(so);
  }

  public static final class Builder {
    private final ScaledObject scaledObject;
    private ScalerConnector connector = ScalerConnector.plaintext();
    private Clock clock = Clock.systemUTC();
    private Duration deadline = ADAPTER_DEADLINE;
    private TargetObserver observer = TargetObserver.settled();
    private Listener listener;
    private ControllerConfig config = ControllerConfig.defaults();
    private int initialReplicas;

    private Builder(ScaledObject so) {
      this.scaledObject = Objects.requireNonNull(so, "scaledObject");
      this.initialReplicas = so.minReplicaCount();
    }

    public Builder connector(ScalerConnector c) {
      this.connector = c;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** Deadline of each gRPC call (the metrics adapter's ~3 s). */
    public Builder deadline(Duration d) {
      this.deadline = d;
      return this;
    }

    public Builder observer(TargetObserver o) {
      this.observer = o;
      return this;
    }

    public Builder listener(Listener l) {
      this.listener = l;
      return this;
    }

    public Builder controllerConfig(ControllerConfig c) {
      this.config = c;
      return this;
    }

    /** Replicas of the target when the emulator starts (default: minReplicaCount). */
    public Builder initialReplicas(int n) {
      this.initialReplicas = n;
      return this;
    }

    public KedaHpaEmulator build() {
      return new KedaHpaEmulator(this);
    }
  }

  /**
   * Runs {@link #poll()} every pollingInterval (KEDA's ticker) and {@link #sync()} one sync period after
   * the previous sync ended (the HPA controller's re-queue), both starting now.
   */
  public synchronized void start() {
    start(UnaryOperator.identity());
  }

  /**
   * As {@link #start()}, on a clock that runs faster than the wall clock (a time-scaled scenario):
   * pollingInterval and the sync period are durations of the injected clock, {@code toWall} gives the
   * wall time the scheduler waits for each (at least 1 ms).
   */
  public synchronized void start(UnaryOperator<Duration> toWall) {
    if (scheduler != null) {
      throw new IllegalStateException("already started");
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keda-hpa-" + so.name());
      t.setDaemon(true);
      return t;
    });
    // one thread: a poll and a sync never overlap, as the emulator's state is not meant to be shared
    long pollNanos = Math.max(1_000_000L, toWall.apply(Duration.ofSeconds(so.pollingIntervalSeconds())).toNanos());
    long syncNanos = Math.max(1_000_000L, toWall.apply(config.syncPeriod()).toNanos());
    tasks.add(scheduler.scheduleAtFixedRate(guard(this::poll), 0, pollNanos, TimeUnit.NANOSECONDS));
    // The HPA controller re-queues an HPA one sync period after its reconcile ends (workqueue AddRateLimited),
    // so its syncs drift later by each reconcile's duration. A fixed rate would check a rate-limit period a
    // hair early (an event exactly periodSeconds old still counting) and hold a scale step one more sync;
    // the comparison with the real kube-controller-manager (make test-k8s) showed that 6.7 s lag.
    tasks.add(scheduler.scheduleWithFixedDelay(guard(this::sync), 0, syncNanos, TimeUnit.NANOSECONDS));
  }

  private static Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a failing listener must not stop the loops (scheduleAtFixedRate cancels on an exception)
        System.err.println("keda-hpa emulator: " + e);
      }
    };
  }

  public synchronized int specReplicas() {
    return specReplicas;
  }

  /** The HPA spec KEDA created, once GetMetricSpec has answered. */
  public synchronized Optional<HpaSpec> hpaSpec() {
    return Optional.ofNullable(hpa).map(HpaController::spec);
  }

  /** The operator's polling cycle. */
  public synchronized PollReport poll() {
    Instant now = clock.instant();
    boolean active = false;
    Map<String, Long> values = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    Map<Integer, List<MetricSpecAnswer>> answered = new HashMap<>();
    for (Trigger t : so.triggers()) {
      ExternalScalerGrpc.ExternalScalerBlockingStub stub = stub(t);
      ScaledObjectRef ref = so.ref(t);
      List<MetricSpecAnswer> triggerSpecs;
      try {
        triggerSpecs = answers(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).getMetricSpec(ref));
      } catch (StatusRuntimeException e) {
        errors.add("GetMetricSpec " + t.index() + ": " + e.getStatus());
        continue;
      }
      answered.put(t.index(), triggerSpecs);
      for (MetricSpecAnswer s : triggerSpecs) {
        try {
          values.put(HpaMapping.hpaMetricName(t.index(), s.metricName()), sum(getMetrics(stub, ref, s.metricName())));
          active |= stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).isActive(ref).getResult();
        } catch (StatusRuntimeException e) {
          errors.add("GetMetrics/IsActive " + t.index() + " " + s.metricName() + ": " + e.getStatus());
        }
      }
    }
    updateHpa(answered);
    activation(now, active);
    PollReport report = new PollReport(now, active, values, errors);
    listener.onPoll(report);
    return report;
  }

  /** One HPA reconcile, reading metrics through KEDA's metrics adapter. */
  public synchronized SyncReport sync() {
    Instant now = clock.instant();
    if (hpa == null) {
      SyncReport r = new SyncReport(now, Optional.empty(), Set.of(), Map.of());
      listener.onSync(r);
      return r;
    }
    Observed observed = observer.observe(specReplicas);
    ScaleTarget target = new ScaleTarget(specReplicas, observed.statusReplicas(), observed.pods());
    Set<String> fellBack = new TreeSet<>();
    Map<String, String> seen = new LinkedHashMap<>();
    int current = specReplicas;
    ReconcileResult result = hpa.reconcile(target, name -> {
      MetricReading r = adapterRead(name, current, fellBack);
      seen.put(name, r instanceof MetricReading.Values v ? Quantities.format(v.sum()) : "error: " + ((MetricReading.Failed) r).message());
      return r;
    });
    if (result.rescale()) {
      setReplicas(now, result.desiredReplicas(), "hpa", result.reason());
    }
    SyncReport report = new SyncReport(now, Optional.of(result), fellBack, seen);
    listener.onSync(report);
    return report;
  }

  /** KEDA's GetScaledObjectMetrics for one HPA metric name. */
  private MetricReading adapterRead(String hpaMetricName, int currentReplicas, Set<String> fellBack) {
    ExternalMetric metric = hpa.spec().metrics().stream().filter(m -> m.name().equals(hpaMetricName)).findFirst().orElseThrow();
    String specError = null;
    for (Trigger t : so.triggers()) {
      String prefix = "s" + t.index() + "-";
      if (!hpaMetricName.startsWith(prefix)) {
        continue;
      }
      ExternalScalerGrpc.ExternalScalerBlockingStub stub = stub(t);
      ScaledObjectRef ref = so.ref(t);
      List<MetricSpecAnswer> triggerSpecs;
      try {
        triggerSpecs = answers(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).getMetricSpec(ref));
      } catch (StatusRuntimeException e) {
        specError = "GetMetricSpec: " + e.getStatus();
        continue;
      }
      String scalerName = hpaMetricName.substring(prefix.length());
      if (triggerSpecs.stream().noneMatch(s -> s.metricName().equals(scalerName))) {
        continue;
      }
      MetricReading reading = metricsAndActivity(stub, ref, scalerName);
      FallbackTracker.Result r = fallback.apply(metric, reading, currentReplicas);
      if (r.fallbackActive()) {
        fellBack.add(hpaMetricName);
      }
      return r.reading();
    }
    // no scaler produced the metric: KEDA returns an error without consulting the fallback
    return new MetricReading.Failed(specError != null
        ? "no matching metrics found for " + hpaMetricName + " (" + specError + ")"
        : "no matching metrics found for " + hpaMetricName);
  }

  /** GetMetrics then IsActive, retried once on failure (KEDA refreshes the scaler and retries). */
  private MetricReading metricsAndActivity(ExternalScalerGrpc.ExternalScalerBlockingStub stub, ScaledObjectRef ref, String metricName) {
    StatusRuntimeException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        List<Long> values = getMetrics(stub, ref, metricName);
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).isActive(ref);
        return new MetricReading.Values(values);
      } catch (StatusRuntimeException e) {
        last = e;
      }
    }
    return new MetricReading.Failed("rpc error: code = " + last.getStatus().getCode()
        + (last.getStatus().getDescription() == null ? "" : " desc = " + last.getStatus().getDescription()));
  }

  /** KEDA reads metricValueFloat when it is &gt; 0, else metricValue, each into milli-units by truncation. */
  private List<Long> getMetrics(ExternalScalerGrpc.ExternalScalerBlockingStub stub, ScaledObjectRef ref, String metricName) {
    GetMetricsResponse resp = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(metricName).build());
    List<Long> out = new ArrayList<>();
    for (MetricValue v : resp.getMetricValuesList()) {
      double value = v.getMetricValueFloat() > 0 ? v.getMetricValueFloat() : (double) v.getMetricValue();
      out.add(Quantities.fromKedaDouble(value));
    }
    return out;
  }

  private static long sum(List<Long> values) {
    long s = 0;
    for (long v : values) {
      s += v;
    }
    return s;
  }

  private static List<MetricSpecAnswer> answers(GetMetricSpecResponse resp) {
    List<MetricSpecAnswer> out = new ArrayList<>();
    for (MetricSpec s : resp.getMetricSpecsList()) {
      out.add(new MetricSpecAnswer(s.getMetricName(), s.getTargetSize(), s.getTargetSizeFloat()));
    }
    return out;
  }

  /** KEDA creates the HPA once every trigger's metric spec is known, and updates it when it changes. */
  private void updateHpa(Map<Integer, List<MetricSpecAnswer>> answered) {
    specs.putAll(answered);
    if (specs.size() < so.triggers().size()) {
      return;
    }
    HpaSpec spec;
    try {
      spec = HpaMapping.toHpaSpec(so, specs);
    } catch (RuntimeException e) {
      // an unusable GetMetricSpec answer (no specs, target 0): KEDA would fail to build the HPA
      return;
    }
    if (hpa == null) {
      hpa = new HpaController(spec, config, clock);
    } else if (!hpa.spec().equals(spec)) {
      hpa.updateSpec(spec);
    }
  }

  /** The executor's part for minReplicaCount 0: 0 → 1 on activity, → 0 after cooldownPeriod idle. */
  private void activation(Instant now, boolean active) {
    if (active) {
      lastActive = now;
    }
    if (so.minReplicaCount() > 0) {
      return;
    }
    if (active && specReplicas == 0) {
      setReplicas(now, so.hpaMinReplicas(), "keda-activation", "ScaledObject became active");
    } else if (!active && specReplicas > 0) {
      Instant since = lastActive == null ? now : lastActive;
      if (lastActive == null) {
        lastActive = now;
      }
      if (since.plusSeconds(so.cooldownPeriodSeconds()).isBefore(now)) {
        setReplicas(now, 0, "keda-cooldown", "no activity for cooldownPeriod");
      }
    }
  }

  private void setReplicas(Instant now, int to, String source, String reason) {
    int from = specReplicas;
    specReplicas = to;
    listener.onScale(new ScaleChange(now, from, to, source, reason));
  }

  private ExternalScalerGrpc.ExternalScalerBlockingStub stub(Trigger t) {
    return ExternalScalerGrpc.newBlockingStub(connector.channelFor(t.scalerAddress()));
  }

  /** Stops the loops and closes the connector's channels. */
  @Override
  public void close() {
    ScheduledExecutorService s;
    synchronized (this) {
      s = scheduler;
      scheduler = null;
      tasks.forEach(f -> f.cancel(false));
      tasks.clear();
    }
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connector.close();
  }
}
