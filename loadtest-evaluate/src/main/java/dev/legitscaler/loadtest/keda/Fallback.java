package dev.legitscaler.loadtest.keda;

import dev.legitscaler.loadtest.hpa.Quantities;
import java.util.Objects;

/**
 * ScaledObject {@code spec.fallback}: after more than {@code failureThreshold} consecutive failures of a
 * metric, KEDA answers the HPA with {@code target × replicas} so that the AverageValue HPA lands on
 * {@code replicas}.
 */
public record Fallback(int failureThreshold, int replicas, FallbackBehavior behavior) {
  public Fallback {
    Objects.requireNonNull(behavior, "behavior");
    if (failureThreshold < 0 || replicas < 0) {
      throw new IllegalArgumentException("fallback failureThreshold and replicas must be ≥ 0");
    }
  }

  /** doFallback: the replica count the value stands for, by behavior. */
  public int fallbackReplicas(int currentReplicas) {
    return switch (behavior) {
      case STATIC -> replicas;
      case CURRENT_REPLICAS -> currentReplicas;
      case CURRENT_REPLICAS_IF_HIGHER -> Math.max(currentReplicas, replicas);
      case CURRENT_REPLICAS_IF_LOWER -> Math.min(currentReplicas, replicas);
    };
  }

  /**
   * doFallback's value: {@code NewMilliQuantity(int64(target.AsApproximateFloat64() × replicas × 1000))}.
   */
  public long valueMilli(long targetAverageMilli, int currentReplicas) {
    double normalisation = (double) targetAverageMilli / 1000.0;
    return Quantities.fromKedaDouble(normalisation * (double) fallbackReplicas(currentReplicas));
  }
}
