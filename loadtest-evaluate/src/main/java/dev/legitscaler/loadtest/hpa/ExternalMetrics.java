package dev.legitscaler.loadtest.hpa;

/**
 * The external metrics API as the HPA sees it. Called lazily, once per metric and reconcile, so that the
 * paths upstream takes without reading metrics (min/max clamps, scaling disabled) do not read them.
 */
@FunctionalInterface
public interface ExternalMetrics {
  MetricReading read(String metricName);
}
