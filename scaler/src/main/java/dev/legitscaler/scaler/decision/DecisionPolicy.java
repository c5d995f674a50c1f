package dev.legitscaler.scaler.decision;

/**
 * The decision settings of one Watch, parsed once from trigger metadata.
 *
 * @param minReplicas lower clamp of the replica-encoded value
 * @param maxReplicas upper clamp of the replica-encoded value
 * @param encoding replica- or load-encoded publishing
 * @param activationThreshold active when the scored demand D is above this (or the lag reading is
 *     active)
 * @param holdUnscoredIncrease hold back increases carried by traffic the scorer has not judged yet
 * @param legitimacyMode enforce or shadow
 * @param targetLoad per-instance target load (used when the load signal is configured)
 * @param lagThreshold lag per replica (used when the lag signal is configured)
 */
public record DecisionPolicy(
    int minReplicas,
    int maxReplicas,
    MetricEncoding encoding,
    double activationThreshold,
    boolean holdUnscoredIncrease,
    LegitimacyMode legitimacyMode,
    double targetLoad,
    long lagThreshold) {

  public DecisionPolicy {
    if (minReplicas < 0 || maxReplicas < minReplicas) {
      throw new IllegalArgumentException("need 0 <= minReplicas <= maxReplicas, got " + minReplicas + ".." + maxReplicas);
    }
  }
}
