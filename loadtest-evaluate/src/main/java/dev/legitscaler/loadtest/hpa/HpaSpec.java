package dev.legitscaler.loadtest.hpa;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of an autoscaling/v2 HorizontalPodAutoscaler spec the controller reads.
 *
 * @param behavior empty: the legacy path (5-minute max of recommendations, scale-up cap max(2×current, 4))
 */
public record HpaSpec(int minReplicas, int maxReplicas, List<ExternalMetric> metrics, Optional<Behavior> behavior) {

  public HpaSpec {
    metrics = List.copyOf(metrics);
    Objects.requireNonNull(behavior, "behavior");
    if (minReplicas < 0) {
      throw new IllegalArgumentException("minReplicas must be ≥ 0, got " + minReplicas);
    }
    if (maxReplicas < 1 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "maxReplicas must be ≥ 1 and ≥ minReplicas (" + minReplicas + "), got " + maxReplicas);
    }
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("at least one metric is required");
    }
  }

  public HpaSpec withMetrics(List<ExternalMetric> newMetrics) {
    return new HpaSpec(minReplicas, maxReplicas, newMetrics, behavior);
  }
}
