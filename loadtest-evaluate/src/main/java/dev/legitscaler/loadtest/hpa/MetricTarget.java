package dev.legitscaler.loadtest.hpa;

/** Target of an External metric: upstream's MetricTarget with type AverageValue or Value. */
public sealed interface MetricTarget permits MetricTarget.AverageValue, MetricTarget.Value {

  /** Target in milli-units (upstream reads {@code Quantity.MilliValue()}). */
  long milli();

  /** {@code type: AverageValue}: the metric is divided by the number of replicas (KEDA's default). */
  record AverageValue(long milli) implements MetricTarget {
    public AverageValue {
      if (milli <= 0) {
        throw new IllegalArgumentException("averageValue must be positive, got " + Quantities.format(milli));
      }
    }
  }

  /** {@code type: Value}: the metric is compared as a whole and scaled by the ready pods. */
  record Value(long milli) implements MetricTarget {
    public Value {
      if (milli <= 0) {
        throw new IllegalArgumentException("value must be positive, got " + Quantities.format(milli));
      }
    }
  }
}
