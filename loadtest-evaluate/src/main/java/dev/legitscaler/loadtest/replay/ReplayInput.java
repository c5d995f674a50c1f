package dev.legitscaler.loadtest.replay;

import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.hpa.HpaHistory;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.keda.Fallback;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed replay file.
 *
 * @param start the instant of {@code t = 0}; history ages are relative to it
 * @param fallback the ScaledObject's fallback when the spec came from a ScaledObject
 */
public record ReplayInput(HpaSpec spec, ControllerConfig config, Optional<Fallback> fallback, Initial initial, List<Step> steps, Instant start) {

  public ReplayInput {
    steps = List.copyOf(steps);
  }

  /** The target before the first step and what the controller remembers. */
  public record Initial(int replicas, int statusReplicas, PodCounts pods, HpaHistory history) {}

  /**
   * One reconcile at {@code t} seconds. The optional fields override, for this step only, what the
   * target looks like; by default the target has settled at the previous step's desired size.
   *
   * @param replicas sets the spec replicas before the reconcile (a manual scale)
   */
  public record Step(long t, Map<String, MetricReading> metrics, Optional<Integer> replicas, Optional<Integer> statusReplicas,
      Optional<Integer> pods, Optional<Integer> readyPods) {
    public Step {
      metrics = Map.copyOf(metrics);
    }
  }
}
