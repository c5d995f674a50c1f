package dev.legitscaler.scaler.metrics;

import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.scoring.DimensionParameters;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.WatchObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * Every legit-scaler series of docs/metrics.md, fed by the Watches (snapshots, backend calls) and the
 * gRPC interceptor. A Watch's per-ScaledObject series are removed when it expires.
 */
public final class ScalerMetrics implements WatchObserver {
  private static final double[] GRPC_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final double[] UPSTREAM_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
      5, 10};

  /** The {@code term} label values of legitscaler_demand_replicas, set in onSnapshot, removed in onClosed. */
  private static final List<String> DEMAND_TERMS = List.of("load", "lag", "raw", "scored");
  /** The {@code signal} label values of the signal age and staleness series, set and removed the same way. */
  private static final List<String> SIGNALS = List.of("load", "lag", "legitimacy");

  private final PrometheusRegistry registry;
  private final Gauge publishedValue;
  private final Gauge demandReplicas;
  private final Gauge instanceLoad;
  private final Gauge kafkaLag;
  private final Gauge kafkaLagWithPersistent;
  private final Gauge legitimacyScore;
  private final Gauge legitimacyApplied;
  private final Gauge attackSuspected;
  private final Counter legitimacyReasons;
  private final Gauge legitimacyDimensions;
  private final Gauge active;
  private final Gauge signalAge;
  private final Gauge signalStale;
  private final Histogram upstreamDuration;
  private final Counter upstreamErrors;
  private final Counter grpcRequests;
  private final Histogram grpcDuration;
  private final Gauge watches;
  private final Counter refused;
  private final Counter refreshesSkipped;
  private final Counter backendCallsSkipped;
  private final Counter unknownKeys;
  /** The series of one trigger with only (namespace, scaled_object, metric) labels. */
  private final List<StatefulMetric<?, ?>> perTrigger;
  /**
   * Per trigger (namespace, scaled_object, metric), the open-ended fourth label values it has series for
   * (instances, reason codes), so that updating and removing them touches only that trigger's series: a
   * scan over every trigger's series on each refresh costs O(watches) per refresh, O(watches²) in all.
   */
  private final ConcurrentHashMap<List<String>, OpenLabels> openLabels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, GrpcMethod> grpcMethods = new ConcurrentHashMap<>();

  public ScalerMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    publishedValue = Gauge.builder().name("legitscaler_published_value")
        .help("Value returned by GetMetrics (replicas when replica-encoded)")
        .labelNames("namespace", "scaled_object", "metric").register(registry);
    demandReplicas = Gauge.builder().name("legitscaler_demand_replicas")
        .help("Demand terms in replicas: load, lag, raw = max of them, scored = s x raw")
        .labelNames("namespace", "scaled_object", "metric", "term").register(registry);
    instanceLoad = Gauge.builder().name("legitscaler_instance_load_ratio")
        .help("Per-instance load as read from Prometheus").labelNames("namespace", "scaled_object", "metric", "instance")
        .register(registry);
    kafkaLag = Gauge.builder().name("legitscaler_kafka_lag_messages").help("totalLag after KEDA's cap")
        .labelNames("namespace", "scaled_object", "metric").register(registry);
    kafkaLagWithPersistent = Gauge.builder().name("legitscaler_kafka_lag_with_persistent_messages")
        .help("totalLagWithPersistent").labelNames("namespace", "scaled_object", "metric").register(registry);
    legitimacyScore = Gauge.builder().name("legitscaler_legitimacy_score").help("Computed legitimacy score s in [0,1]")
        .labelNames("namespace", "scaled_object", "metric").register(registry);
    legitimacyApplied = Gauge.builder().name("legitscaler_legitimacy_applied_score")
        .help("Score used by the decision (1 in shadow mode)").labelNames("namespace", "scaled_object", "metric")
        .register(registry);
    attackSuspected = Gauge.builder().name("legitscaler_attack_suspected").help("1 while the scorer declares an attack")
        .labelNames("namespace", "scaled_object", "metric").register(registry);
    legitimacyReasons = Counter.builder().name("legitscaler_legitimacy_reasons_total")
        .help("Refreshes in which a reason code was raised").labelNames("namespace", "scaled_object", "metric", "reason")
        .register(registry);
    legitimacyDimensions = Gauge.builder().name("legitscaler_legitimacy_dimension")
        .help("The scorer's evidence-dimension signals (docs/legitimacy.md section 14), absent when not computed")
        .labelNames("namespace", "scaled_object", "metric", "signal").register(registry);
    active = Gauge.builder().name("legitscaler_active").help("IsActive result").labelNames("namespace", "scaled_object", "metric")
        .register(registry);
    signalAge = Gauge.builder().name("legitscaler_signal_age_seconds").help("Age of the newest good reading")
        .labelNames("namespace", "scaled_object", "metric", "signal").register(registry);
    signalStale = Gauge.builder().name("legitscaler_signal_stale").help("1 when older than staleAfter")
        .labelNames("namespace", "scaled_object", "metric", "signal").register(registry);
    upstreamDuration = Histogram.builder().name("legitscaler_upstream_request_duration_seconds")
        .help("Backend call latency").labelNames("source").classicOnly().classicUpperBounds(UPSTREAM_BUCKETS)
        .register(registry);
    upstreamErrors = Counter.builder().name("legitscaler_upstream_errors_total").help("Failed backend calls by category")
        .labelNames("source", "cause").register(registry);
    grpcRequests = Counter.builder().name("legitscaler_grpc_requests_total").help("gRPC calls served")
        .labelNames("method", "code").register(registry);
    grpcDuration = Histogram.builder().name("legitscaler_grpc_request_duration_seconds").help("gRPC handler latency")
        .labelNames("method").classicOnly().classicUpperBounds(GRPC_BUCKETS).register(registry);
    watches = Gauge.builder().name("legitscaler_watches").help("ScaledObjects currently watched").register(registry);
    refused = Counter.builder().name("legitscaler_watches_refused_total")
        .help("Triggers not watched because a server limit was reached").labelNames("limit").register(registry);
    refreshesSkipped = Counter.builder().name("legitscaler_refreshes_skipped_total")
        .help("Refreshes skipped because their namespace ran its maximum of concurrent refreshes for half"
            + " the refresh interval (a refresh that waited less is not counted)")
        .register(registry);
    backendCallsSkipped = Counter.builder().name("legitscaler_backend_calls_skipped_total")
        .help("Backend calls skipped because their backend served its maximum of concurrent calls"
            + " (--max-concurrent-refreshes-per-backend) for half the refresh interval")
        .labelNames("signal").register(registry); // load, lag, legitimacy: no backend label, addresses are unbounded
    unknownKeys = Counter.builder().name("legitscaler_unknown_metadata_keys_total")
        .help("Metadata keys no parser reads (typos), counted when a watch is created").register(registry);
    perTrigger = List.of(publishedValue, kafkaLag, kafkaLagWithPersistent, legitimacyScore, legitimacyApplied,
        attackSuspected, active);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void onSnapshot(ScalerConfig c, Snapshot s) {
    String ns = c.namespace();
    String so = c.name();
    String m = c.metricName();
    DecisionResult r = s.result();
    if (r.available()) {
      publishedValue.labelValues(ns, so, m).set(r.valueFloat());
    } else {
      publishedValue.remove(ns, so, m);
    }
    double[] demand = {r.loadDemand(), r.lagDemand(), r.rawDemand(), r.scoredDemand()}; // in DEMAND_TERMS order
    for (int i = 0; i < demand.length; i++) {
      setOrRemove(demandReplicas, demand[i], ns, so, m, DEMAND_TERMS.get(i));
    }
    active.labelValues(ns, so, m).set(r.active() ? 1 : 0);

    // Refreshes of one watch run one at a time, so its OpenLabels is never updated concurrently.
    OpenLabels open = openLabels.computeIfAbsent(List.of(ns, so, m), k -> new OpenLabels());
    Optional<LoadReading> load = s.input().load().usable();
    Set<String> instances = new HashSet<>();
    load.ifPresent(l -> l.instances().forEach(i -> {
      instanceLoad.labelValues(ns, so, m, i.instance()).set(i.load());
      instances.add(i.instance());
    }));
    for (String gone : open.instances) {
      if (!instances.contains(gone)) {
        instanceLoad.remove(ns, so, m, gone);
      }
    }
    open.instances = instances;

    Optional<LagReading> lag = s.input().lag().usable();
    if (lag.isPresent()) {
      kafkaLag.labelValues(ns, so, m).set(lag.get().totalLag());
      kafkaLagWithPersistent.labelValues(ns, so, m).set(lag.get().totalLagWithPersistent());
    } else {
      kafkaLag.remove(ns, so, m);
      kafkaLagWithPersistent.remove(ns, so, m);
    }

    Optional<LegitimacyReading> legit = s.input().legitimacy().usable();
    if (s.input().legitimacy().configured()) {
      legitimacyApplied.labelValues(ns, so, m).set(r.appliedScore());
      if (legit.isPresent()) {
        legitimacyScore.labelValues(ns, so, m).set(legit.get().score());
        attackSuspected.labelValues(ns, so, m).set(legit.get().attack() ? 1 : 0);
        if (s.input().legitimacy() instanceof SignalState.Fresh) {
          legit.get().reasons().forEach(reason -> {
            legitimacyReasons.labelValues(ns, so, m, reason).inc();
            open.reasons.add(reason);
          });
          for (String name : DimensionParameters.SIGNALS) {
            Double v = legit.get().signals().get(name);
            if (v == null) {
              legitimacyDimensions.remove(ns, so, m, name);
            } else {
              legitimacyDimensions.labelValues(ns, so, m, name).set(v);
            }
          }
        }
      } else {
        legitimacyScore.remove(ns, so, m);
        attackSuspected.remove(ns, so, m);
      }
    }

    List<SignalState<?>> states = List.of(s.input().load(), s.input().lag(), s.input().legitimacy()); // SIGNALS order
    for (int i = 0; i < states.size(); i++) {
      signal(ns, so, m, SIGNALS.get(i), states.get(i));
    }
  }

  private void signal(String ns, String so, String m, String name, SignalState<?> state) {
    if (!state.configured()) {
      return;
    }
    Optional<Duration> age = state.readingAge();
    if (age.isPresent()) {
      signalAge.labelValues(ns, so, m, name).set(age.get().toMillis() / 1000.0);
    } else {
      signalAge.remove(ns, so, m, name);
    }
    boolean stale = state instanceof SignalState.Stale || state instanceof SignalState.Pending;
    signalStale.labelValues(ns, so, m, name).set(stale ? 1 : 0);
  }

  private static void setOrRemove(Gauge g, double v, String... labels) {
    if (Double.isNaN(v)) {
      g.remove(labels);
    } else {
      g.labelValues(labels).set(v);
    }
  }

  @Override
  public void onFetch(String backend, Duration took, Optional<String> errorCategory) {
    upstreamDuration.labelValues(backend).observe(took.toNanos() / 1e9);
    errorCategory.ifPresent(cause -> upstreamErrors.labelValues(backend, cause).inc());
  }

  @Override
  public void onClosed(ScalerConfig c) {
    String ns = c.namespace();
    String so = c.name();
    String metric = c.metricName(); // only this trigger's series: another trigger of the ScaledObject keeps its own
    for (StatefulMetric<?, ?> m : perTrigger) {
      m.remove(ns, so, metric);
    }
    for (String term : DEMAND_TERMS) {
      demandReplicas.remove(ns, so, metric, term);
    }
    for (String signal : SIGNALS) {
      signalAge.remove(ns, so, metric, signal);
      signalStale.remove(ns, so, metric, signal);
    }
    for (String dimension : DimensionParameters.SIGNALS) {
      legitimacyDimensions.remove(ns, so, metric, dimension);
    }
    OpenLabels open = openLabels.remove(List.of(ns, so, metric));
    if (open != null) {
      open.instances.forEach(i -> instanceLoad.remove(ns, so, metric, i));
      open.reasons.forEach(r -> legitimacyReasons.remove(ns, so, metric, r));
    }
  }

  /** The fourth-label values one trigger has series for; touched only by that trigger's refreshes and close. */
  private static final class OpenLabels {
    volatile Set<String> instances = Set.of();
    final Set<String> reasons = ConcurrentHashMap.newKeySet();
  }

  @Override
  public void onRefused(String namespace, String limit) {
    refused.labelValues(limit).inc(); // no namespace label: a caller could invent unbounded namespaces
  }

  @Override
  public void onRefreshSkipped(String namespace) {
    refreshesSkipped.inc();
  }

  @Override
  public void onBackendCallSkipped(String signal) {
    backendCallsSkipped.labelValues(signal).inc();
  }

  @Override
  public void onUnknownKeys(String namespace, int count) {
    unknownKeys.inc(count);
  }

  @Override
  public void onWatchCount(int n) {
    watches.set(n);
  }

  /** Called by the gRPC interceptor when a call closes. */
  public void grpcCall(String method, String code, long nanos) {
    grpcRequests.labelValues(method, code).inc();
    grpcDuration.labelValues(method).observe(nanos / 1e9);
  }

  /**
   * The gRPC series of one method, looked up once: a label lookup per call (list of label values,
   * hash, map) is a measurable share of a cheap call. gRPC series are never removed, so holding the
   * data points is safe.
   */
  public GrpcMethod grpcMethod(String method) {
    return grpcMethods.computeIfAbsent(method, GrpcMethod::new);
  }

  /** Data points of one gRPC method: its latency histogram and one request counter per status code. */
  public final class GrpcMethod {
    private final String method;
    private final DistributionDataPoint duration;
    private final AtomicReferenceArray<CounterDataPoint> byCode =
        new AtomicReferenceArray<>(io.grpc.Status.Code.values().length);

    private GrpcMethod(String method) {
      this.method = method;
      this.duration = grpcDuration.labelValues(method);
    }

    public void record(io.grpc.Status.Code code, long nanos) {
      CounterDataPoint c = byCode.get(code.ordinal());
      if (c == null) {
        c = grpcRequests.labelValues(method, code.name());
        byCode.set(code.ordinal(), c);
      }
      c.inc();
      duration.observe(nanos / 1e9);
    }
  }
}
