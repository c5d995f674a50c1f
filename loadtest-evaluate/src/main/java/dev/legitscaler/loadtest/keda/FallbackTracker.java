package dev.legitscaler.loadtest.keda;

import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.ExternalMetrics;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.MetricTarget;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * KEDA's GetMetricsWithFallback with the per-metric health it keeps in the ScaledObject status: a
 * success resets the failure count; a failure increments it, and once the count exceeds
 * {@code failureThreshold} the metric answers {@code target × fallback replicas} instead of the error.
 * Only AverageValue metrics fall back (KEDA logs and skips the others).
 */
public final class FallbackTracker {
  private final Optional<Fallback> fallback;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> active = new TreeSet<>();

  public FallbackTracker(Optional<Fallback> fallback) {
    this.fallback = fallback;
  }

  /** The reading after fallback, and whether the fallback produced it. */
  public record Result(MetricReading reading, boolean fallbackActive, int consecutiveFailures) {}

  public synchronized Result apply(ExternalMetric metric, MetricReading reading, int currentReplicas) {
    if (reading instanceof MetricReading.Values) {
      failures.put(metric.name(), 0);
      active.remove(metric.name());
      return new Result(reading, false, 0);
    }
    int n = failures.merge(metric.name(), 1, Integer::sum);
    if (fallback.isPresent() && metric.target() instanceof MetricTarget.AverageValue av && n > fallback.get().failureThreshold()) {
      active.add(metric.name());
      return new Result(MetricReading.Values.of(fallback.get().valueMilli(av.milli(), currentReplicas)), true, n);
    }
    active.remove(metric.name());
    return new Result(reading, false, n);
  }

  /** Metric names currently answered by the fallback. */
  public synchronized Set<String> activeFallbacks() {
    return Set.copyOf(active);
  }

  /** Wraps a raw metrics source so that the HPA sees what KEDA's metrics adapter would serve. */
  public ExternalMetrics wrap(HpaSpec spec, ExternalMetrics raw, int currentReplicas) {
    return name -> {
      MetricReading r = raw.read(name);
      for (ExternalMetric m : spec.metrics()) {
        if (m.name().equals(name)) {
          return apply(m, r, currentReplicas).reading();
        }
      }
      return r;
    };
  }
}
