package dev.legitscaler.loadtest.hpa;

/**
 * The HPA's dead band around ratio 1. Kubernetes changed the test in 1.33 and the two forms disagree
 * exactly at the edge: at ratio 1.1 with tolerance 0.1, {@code |1 - 1.1| = 0.10000000000000009 > 0.1}
 * scales while {@code 1.1 <= 1.0 + 0.1} holds.
 */
public sealed interface Tolerance permits Tolerance.Symmetric, Tolerance.Asymmetric {

  /** Upstream default, flag {@code --horizontal-pod-autoscaler-tolerance}. */
  double DEFAULT = 0.1;

  boolean isWithin(double usageRatio);

  /** Kubernetes ≤ 1.32: {@code math.Abs(1.0-usageRatio) <= tolerance}. */
  record Symmetric(double tolerance) implements Tolerance {
    @Override
    public boolean isWithin(double usageRatio) {
      return Math.abs(1.0 - usageRatio) <= tolerance;
    }
  }

  /** Kubernetes ≥ 1.33: {@code (1.0-scaleDown) <= usageRatio && usageRatio <= (1.0+scaleUp)}. */
  record Asymmetric(double scaleDown, double scaleUp) implements Tolerance {
    @Override
    public boolean isWithin(double usageRatio) {
      return (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp);
    }
  }
}
