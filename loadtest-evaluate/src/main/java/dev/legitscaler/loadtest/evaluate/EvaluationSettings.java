package dev.legitscaler.loadtest.evaluate;

import java.time.Duration;

/**
 * Knobs of the simulation that the scenario and the ScaledObject do not say.
 *
 * @param podStartDelay time from the HPA adding a replica to that replica serving (a model pod pulls
 *     its image and loads its model first); 30 s by default
 * @param partitions partitions of the request topic: KEDA caps the lag at partitions × lagThreshold
 *     unless allowIdleConsumers is set (12, as manifests/examples/kafkatopic.yaml)
 * @param slot simulation step for traffic and service (the traffic model's own 100 ms slot)
 */
public record EvaluationSettings(Duration podStartDelay, int partitions, Duration slot) {
  public static final Duration DEFAULT_POD_START_DELAY = Duration.ofSeconds(30);
  public static final int DEFAULT_PARTITIONS = 12;

  public EvaluationSettings {
    if (podStartDelay.isNegative()) {
      throw new IllegalArgumentException("pod start delay must be >= 0, was " + podStartDelay);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
    }
    if (slot.toMillis() < 1 || 1000 % slot.toMillis() != 0) {
      throw new IllegalArgumentException("slot must divide one second, was " + slot);
    }
  }

  public static EvaluationSettings defaults() {
    return new EvaluationSettings(DEFAULT_POD_START_DELAY, DEFAULT_PARTITIONS, Duration.ofMillis(100));
  }
}
