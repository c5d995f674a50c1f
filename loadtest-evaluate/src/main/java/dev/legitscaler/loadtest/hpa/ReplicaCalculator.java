package dev.legitscaler.loadtest.hpa;

import java.util.List;
import java.util.Optional;

/**
 * Pure ports of replica_calculator.go (External metrics) and of computeReplicasForMetrics in
 * horizontal.go. Divisions are done on doubles in upstream's order, so ceilings land on the same
 * integer even where a ratio is a hair above a whole number.
 */
public final class ReplicaCalculator {
  /** Condition reason upstream sets when an External metric cannot be read or used. */
  public static final String FAILED_GET_EXTERNAL_METRIC = "FailedGetExternalMetric";

  private ReplicaCalculator() {}

  /**
   * GetExternalPerPodMetricReplicas (target type AverageValue): {@code ratio = U / (T × statusReplicas)};
   * inside the tolerance the proposal is statusReplicas, otherwise {@code ceil(U / T)}. Pod readiness
   * plays no part.
   */
  public static MetricOutcome.Proposed externalPerPod(
      String metric, int statusReplicas, long targetPerPodMilli, long usageMilli, Tolerance tolerance) {
    int replicaCount = statusReplicas;
    double usageRatio = (double) usageMilli / ((double) targetPerPodMilli * (double) replicaCount);
    if (!tolerance.isWithin(usageRatio)) {
      replicaCount = (int) Math.ceil((double) usageMilli / (double) targetPerPodMilli);
    }
    long average = (long) Math.ceil((double) usageMilli / (double) statusReplicas);
    return new MetricOutcome.Proposed(metric, replicaCount, average, usageRatio);
  }

  /** GetExternalMetricReplicas (target type Value): {@code ratio = U / T}, then {@link #usageRatioReplicaCount}. */
  public static MetricOutcome externalValue(
      String metric, int specReplicas, long targetMilli, long usageMilli, Tolerance tolerance, PodCounts pods) {
    double usageRatio = (double) usageMilli / (double) targetMilli;
    return usageRatioReplicaCount(specReplicas, usageRatio, tolerance, pods)
        .<MetricOutcome>map(n -> new MetricOutcome.Proposed(metric, n, usageMilli, usageRatio))
        .orElseGet(() -> new MetricOutcome.Invalid(metric, FAILED_GET_EXTERNAL_METRIC,
            "failed to get " + metric + " external metric: unable to calculate ready pods: "
                + "no pods returned by selector while calculating replica count"));
  }

  /**
   * getUsageRatioReplicaCount: with current replicas, inside the tolerance → current, else
   * {@code ceil(ratio × readyPods)}; at 0 replicas {@code ceil(ratio)}. Empty when no pod matches the
   * selector (upstream's error).
   */
  public static Optional<Integer> usageRatioReplicaCount(int currentReplicas, double usageRatio, Tolerance tolerance, PodCounts pods) {
    if (currentReplicas != 0) {
      if (tolerance.isWithin(usageRatio)) {
        return Optional.of(currentReplicas);
      }
      if (pods.total() == 0) {
        return Optional.empty();
      }
      return Optional.of((int) Math.ceil(usageRatio * (double) pods.ready()));
    }
    return Optional.of((int) Math.ceil(usageRatio));
  }

  /** The outcome of combining every metric's proposal. */
  public sealed interface Combined permits Combined.Proposal, Combined.Failed {
    /**
     * @param partialFailure set when some metric failed but the others still allow this proposal
     *     (upstream scales and reports the error afterwards)
     */
    record Proposal(int replicas, String metric, Optional<String> partialFailure) implements Combined {}

    /** No usable proposal: the HPA keeps the current size and reports the first invalid metric. */
    record Failed(String reason, String message) implements Combined {}
  }

  /**
   * computeReplicasForMetrics: the max of the valid proposals. When every metric failed, or some failed
   * and the max would be below the current spec replicas, nothing changes: a broken metric must not
   * let the HPA scale down.
   */
  public static Combined combine(List<? extends MetricOutcome> outcomes, int specReplicas) {
    int replicas = 0;
    String metric = "";
    int invalid = 0;
    MetricOutcome.Invalid firstInvalid = null;
    for (MetricOutcome o : outcomes) {
      // Java 17: no pattern matching for switch, so instanceof over the sealed pair
      if (o instanceof MetricOutcome.Invalid inv) {
        if (invalid <= 0) {
          firstInvalid = inv;
        }
        invalid++;
      } else if (o instanceof MetricOutcome.Proposed p) {
        if (replicas == 0 || p.replicas() > replicas) {
          replicas = p.replicas();
          metric = p.metric();
        }
      }
    }
    String error = firstInvalid == null ? null
        : "invalid metrics (" + invalid + " invalid out of " + outcomes.size() + "), first error is: " + firstInvalid.message();
    if (invalid >= outcomes.size() || (invalid > 0 && replicas < specReplicas)) {
      return firstInvalid == null
          ? new Combined.Failed("InvalidMetricSourceType", "no metrics to compute a replica count from")
          : new Combined.Failed(firstInvalid.reason(), error);
    }
    return new Combined.Proposal(replicas, metric, Optional.ofNullable(error));
  }
}
