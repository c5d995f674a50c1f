package dev.legitscaler.scaler.decision;

import java.util.List;

/**
 * One refresh of the load query: one entry per instance (series), value = saturation ratio
 * (1.0 = 100 %). Series dropped by {@code ignoreNullValues} are not listed.
 */
public record LoadReading(List<InstanceLoad> instances, List<RejectedInstance> rejected) {
  /** Accepted per-instance loads, inclusive: a value outside is a broken query, never summed. */
  public static final double MIN_LOAD = 0;
  public static final double MAX_LOAD = 10;

  public LoadReading {
    instances = List.copyOf(instances);
    rejected = List.copyOf(rejected);
  }

  public LoadReading(List<InstanceLoad> instances) {
    this(instances, List.of());
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

  /** A series whose value is outside [MIN_LOAD, MAX_LOAD]: shown in Explain, not summed. */
  public record RejectedInstance(String instance, double load, String error) {}
}
