package dev.legitscaler.loadtest.hpa;

import java.util.Objects;

/** One {@code type: External} entry of {@code spec.metrics}: a metric name and its target. */
public record ExternalMetric(String name, MetricTarget target) {
  public ExternalMetric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    if (name.isBlank()) {
      throw new IllegalArgumentException("metric name must not be empty");
    }
  }
}
