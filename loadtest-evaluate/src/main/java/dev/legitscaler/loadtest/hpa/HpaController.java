package dev.legitscaler.loadtest.hpa;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HPA as kube-controller-manager runs it (reconcileAutoscaler): the state upstream keeps per HPA key
 * (recommendations, scale-up and scale-down events) plus the spec. Call {@link #reconcile} once per
 * sync period ({@link ControllerConfig#syncPeriod()}, 15 s); time comes from the injected clock only.
 *
 * <p>{@link ReconcileResult#reason()} is, in order: {@code ScalingDisabled} (current 0, min ≠ 0),
 * {@code TooManyReplicas}/{@code TooFewReplicas} when the current size is outside [min, max] (fixed
 * without reading metrics), the failing metric's reason ({@code FailedGetExternalMetric}) when metrics
 * allow no decision, else the ScalingLimited reason when a limit cut the recommendation
 * ({@code ScaleUpLimit}, {@code ScaleDownLimit}, {@code TooManyReplicas}, {@code TooFewReplicas}), else
 * the stabilization reason when the window changed it ({@code ScaleUpStabilized},
 * {@code ScaleDownStabilized}), else {@code DesiredWithinRange}.
 */
public final class HpaController {
  private final ControllerConfig config;
  private final Clock clock;
  private HpaSpec spec;
  private List<Recommendation> recommendations; // null: never reconciled (upstream: no map entry)
  private RateLimits.Events events;
  private final Map<String, Condition> conditions = new LinkedHashMap<>();

  public HpaController(HpaSpec spec, ControllerConfig config, Clock clock) {
    this(spec, config, clock, HpaHistory.none());
  }

  public HpaController(HpaSpec spec, ControllerConfig config, Clock clock, HpaHistory history) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.recommendations = history.recommendations().map(ArrayList::new).orElse(null);
    this.events = new RateLimits.Events(history.scaleUpEvents(), history.scaleDownEvents());
  }

  public synchronized HpaSpec spec() {
    return spec;
  }

  /** KEDA rewrites the HPA when the scaler's metric spec changes; history is kept as upstream keeps it by key. */
  public synchronized void updateSpec(HpaSpec newSpec) {
    this.spec = Objects.requireNonNull(newSpec, "spec");
  }

  public ControllerConfig config() {
    return config;
  }

  public synchronized HpaHistory history() {
    return new HpaHistory(Optional.ofNullable(recommendations), events.scaleUp(), events.scaleDown());
  }

  /** One reconcile of the HPA against the target's current scale and the external metrics API. */
  public synchronized ReconcileResult reconcile(ScaleTarget target, ExternalMetrics metrics) {
    Instant now = clock.instant();
    int current = target.specReplicas();
    if (recommendations == null) {
      // recordInitialRecommendation: a new HPA remembers the size it found, so it does not
      // scale down in its first five minutes
      recommendations = new ArrayList<>(List.of(new Recommendation(current, now)));
    }
    int min = spec.minReplicas();
    int max = spec.maxReplicas();
    int desired = 0;
    boolean rescale = true;
    String reason;
    String rescaleReason = null;
    Integer proposal = null;
    Integer stabilized = null;
    List<MetricOutcome> outcomes = List.of();
    String error = null;

    if (current == 0 && min != 0) {
      desired = 0;
      rescale = false;
      setCondition("ScalingActive", false, "ScalingDisabled", "scaling is disabled since the replica count of the target is zero");
      reason = "ScalingDisabled";
    } else if (current > max) {
      rescaleReason = "Current number of replicas above Spec.MaxReplicas";
      desired = max;
      reason = "TooManyReplicas";
    } else if (current < min) {
      rescaleReason = "Current number of replicas below Spec.MinReplicas";
      desired = min;
      reason = "TooFewReplicas";
    } else {
      outcomes = computeMetrics(target, metrics);
      ReplicaCalculator.Combined combined = ReplicaCalculator.combine(outcomes, current);
      if (combined instanceof ReplicaCalculator.Combined.Failed f) {
        // upstream returns from the reconcile here: no scale, no recommendation recorded
        setCondition("ScalingActive", false, f.reason(), f.message());
        return result(now, current, current, false, null, null, f.reason(), null, outcomes, f.message());
      }
      ReplicaCalculator.Combined.Proposal p = (ReplicaCalculator.Combined.Proposal) combined;
      error = p.partialFailure().orElse(null);
      setCondition("ScalingActive", true, "ValidMetricFound",
          "the HPA was able to successfully calculate a replica count from " + p.metric());
      proposal = p.replicas();
      String rescaleMetric = "";
      if (p.replicas() > desired) {
        desired = p.replicas();
        rescaleMetric = p.metric();
      }
      if (desired > current) {
        rescaleReason = rescaleMetric + " above target";
      }
      if (desired < current) {
        rescaleReason = "All metrics below target";
      }
      Stabilization.Result st;
      Limited limited;
      if (spec.behavior().isEmpty()) {
        st = Stabilization.legacy(recommendations, desired, now, config.downscaleStabilization());
        limited = RateLimits.withRules(current, st.replicas(), min, max);
      } else {
        Behavior b = spec.behavior().get();
        st = Stabilization.withBehavior(recommendations, current, desired, b, now);
        limited = RateLimits.withBehaviorRate(current, st.replicas(), min, max, b, events.scaleUp(), events.scaleDown(), now);
      }
      recommendations = new ArrayList<>(st.history());
      stabilized = st.replicas();
      boolean wasStabilized = st.replicas() != desired;
      if (wasStabilized) {
        setCondition("AbleToScale", true, st.reason(), st.message());
      } else {
        setCondition("AbleToScale", true, "ReadyForNewScale", "recommended size matches current size");
      }
      boolean wasLimited = limited.replicas() != st.replicas();
      setCondition("ScalingLimited", wasLimited, limited.reason(), limited.message());
      reason = wasLimited ? limited.reason() : wasStabilized ? st.reason() : limited.reason();
      desired = limited.replicas();
      rescale = desired != current;
    }

    if (rescale) {
      setCondition("AbleToScale", true, "SucceededRescale", "the HPA controller was able to update the target scale to " + desired);
      if (spec.behavior().isPresent()) {
        events = RateLimits.storeScaleEvent(spec.behavior().get(), events, current, desired, now);
      }
    } else {
      desired = current;
    }
    return result(now, current, desired, rescale, proposal, stabilized, reason, rescaleReason, outcomes, error);
  }

  private List<MetricOutcome> computeMetrics(ScaleTarget target, ExternalMetrics metrics) {
    Tolerance tolerance = config.toleranceFor(spec.behavior());
    List<MetricOutcome> outcomes = new ArrayList<>(spec.metrics().size());
    for (ExternalMetric m : spec.metrics()) {
      MetricReading reading = metrics.read(m.name());
      if (reading instanceof MetricReading.Failed failed) {
        outcomes.add(new MetricOutcome.Invalid(m.name(), ReplicaCalculator.FAILED_GET_EXTERNAL_METRIC,
            "failed to get " + m.name() + " external metric: " + failed.message()));
        continue;
      }
      long usage = ((MetricReading.Values) reading).sum();
      if (m.target() instanceof MetricTarget.AverageValue av) {
        outcomes.add(ReplicaCalculator.externalPerPod(m.name(), target.statusReplicas(), av.milli(), usage, tolerance));
      } else {
        outcomes.add(ReplicaCalculator.externalValue(m.name(), target.specReplicas(), m.target().milli(), usage, tolerance, target.pods()));
      }
    }
    return outcomes;
  }

  private void setCondition(String type, boolean status, String reason, String message) {
    conditions.put(type, new Condition(type, status, reason, message));
  }

  private ReconcileResult result(Instant now, int current, int desired, boolean rescale, Integer proposal, Integer stabilized,
      String reason, String rescaleReason, List<MetricOutcome> outcomes, String error) {
    return new ReconcileResult(now, current, desired, rescale, Optional.ofNullable(proposal), Optional.ofNullable(stabilized),
        reason, Optional.ofNullable(rescaleReason), conditions, outcomes, Optional.ofNullable(error));
  }
}
