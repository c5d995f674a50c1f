package dev.legitscaler.loadtest.hpa;

/** The result of computing one metric's replica proposal (upstream computeReplicasForMetric). */
public sealed interface MetricOutcome permits MetricOutcome.Proposed, MetricOutcome.Invalid {

  String metric();

  /**
   * @param usageMilli what upstream writes to the metric status: the sum for Value, the per-pod
   *     average {@code ceil(U / statusReplicas)} for AverageValue
   * @param ratio the usage ratio the tolerance was applied to
   */
  record Proposed(String metric, int replicas, long usageMilli, double ratio) implements MetricOutcome {}

  /** @param reason the condition reason upstream sets, e.g. FailedGetExternalMetric */
  record Invalid(String metric, String reason, String message) implements MetricOutcome {}
}
