package dev.legitscaler.scaler.signal.prometheus;

import java.util.List;

/**
 * One refresh of the load query: one entry per instance (series), value = saturation ratio
 * (1.0 = 100 %). Series dropped by {@code ignoreNullValues} are not listed.
 */
public record LoadReading(List<InstanceLoad> instances) {
  public LoadReading {
    instances = List.copyOf(instances);
  }

  /** Σ load_i. */
  public double sum() {
    double s = 0;
    for (InstanceLoad i : instances) {
      s += i.load();
    }
    return s;
  }

  /** One series of the load query. {@code instance} is the series' label set rendered compactly. */
  public record InstanceLoad(String instance, double load) {}
}
