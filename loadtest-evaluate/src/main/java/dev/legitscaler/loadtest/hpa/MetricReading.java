package dev.legitscaler.loadtest.hpa;

import java.util.List;

/** What the external metrics API answered for one metric name. */
public sealed interface MetricReading permits MetricReading.Values, MetricReading.Failed {

  /** The returned values in milli-units; the HPA sums them (upstream sums every returned item). */
  record Values(List<Long> milli) implements MetricReading {
    public Values {
      milli = List.copyOf(milli);
    }

    public static Values of(long... milli) {
      return new Values(java.util.Arrays.stream(milli).boxed().toList());
    }

    public long sum() {
      long usage = 0;
      for (long v : milli) {
        usage += v;
      }
      return usage;
    }
  }

  /** The metrics API (or the scaler behind it) failed. */
  record Failed(String message) implements MetricReading {}
}
