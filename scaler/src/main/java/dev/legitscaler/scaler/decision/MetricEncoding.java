package dev.legitscaler.scaler.decision;

/**
 * How the scored demand D (in replicas) is turned into the number KEDA hands to the HPA.
 *
 * <ul>
 *   <li>{@link Replicas} (default): the scaler publishes its own desired replica count
 *       {@code clamp(ceil(D), min, max)} with target 1, so every ±1 step passes the HPA's 10 %
 *       tolerance.
 *   <li>{@link LoadPerMille}: the scored demand in the signal's own units, × 1000 so that KEDA before
 *       2.17 (which reads only the int64 field) keeps three decimals; target = unit × 1000. The HPA
 *       computes {@code ceil(U / T) = ceil(D)} itself and applies its tolerance.
 * </ul>
 */
public sealed interface MetricEncoding permits MetricEncoding.Replicas, MetricEncoding.LoadPerMille {

  /** {@code replicas} or {@code load}, as written in metadata. */
  String keyword();

  /** The per-replica target published in GetMetricSpec. */
  double target();

  record Replicas() implements MetricEncoding {
    @Override
    public String keyword() {
      return "replicas";
    }

    @Override
    public double target() {
      return 1;
    }
  }

  /**
   * @param unitPerReplica what one replica is expected to carry: targetLoad when the load signal is
   *     configured, otherwise lagThreshold (messages)
   */
  record LoadPerMille(double unitPerReplica) implements MetricEncoding {
    public LoadPerMille {
      if (!(unitPerReplica > 0) || !Double.isFinite(unitPerReplica)) {
        throw new IllegalArgumentException("unitPerReplica must be > 0, was " + unitPerReplica);
      }
    }

    @Override
    public String keyword() {
      return "load";
    }

    @Override
    public double target() {
      return Math.round(unitPerReplica * 1000.0);
    }
  }
}
