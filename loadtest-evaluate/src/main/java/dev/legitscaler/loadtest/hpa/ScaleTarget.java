package dev.legitscaler.loadtest.hpa;

/**
 * The scale subresource of the target and its pods, as the HPA reads them at a reconcile.
 *
 * @param specReplicas {@code scale.spec.replicas}: "current replicas" in upstream's code
 * @param statusReplicas {@code scale.status.replicas}: what the AverageValue path divides by
 */
public record ScaleTarget(int specReplicas, int statusReplicas, PodCounts pods) {
  public ScaleTarget {
    if (specReplicas < 0 || statusReplicas < 0) {
      throw new IllegalArgumentException("replicas must be ≥ 0");
    }
  }

  /** A settled target: spec = status = n, all n pods ready. */
  public static ScaleTarget settled(int n) {
    return new ScaleTarget(n, n, PodCounts.allReady(n));
  }
}
