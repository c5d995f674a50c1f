package dev.legitscaler.loadtest.keda;

import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricTarget;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.input.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The HPA KEDA creates for a ScaledObject (keda-hpa-&lt;name&gt;). */
public final class HpaMapping {
  private HpaMapping() {}

  /**
   * KEDA's GenerateMetricNameWithIndex: the HPA sees {@code s<triggerIndex>-<metricName>}; KEDA strips
   * the prefix again before calling GetMetrics.
   */
  public static String hpaMetricName(int triggerIndex, String metricName) {
    return "s" + triggerIndex + "-" + metricName;
  }

  /**
   * The target quantity from a MetricSpec: {@code targetSizeFloat} when it is &gt; 0 (newer KEDA, milli
   * precision, truncated), else {@code targetSize}.
   */
  public static long targetMilli(MetricSpecAnswer spec) {
    return spec.targetSizeFloat() > 0 ? Quantities.fromKedaDouble(spec.targetSizeFloat()) : spec.targetSize() * 1000;
  }

  /**
   * One External metric per MetricSpec of each trigger, AverageValue unless the trigger says
   * {@code metricType: Value}; min = max(minReplicaCount, 1), max = maxReplicaCount, behavior as given.
   *
   * @param specsByTrigger GetMetricSpec's answer for each trigger index
   */
  public static HpaSpec toHpaSpec(ScaledObject so, Map<Integer, List<MetricSpecAnswer>> specsByTrigger) {
    List<ExternalMetric> metrics = new ArrayList<>();
    for (Trigger t : so.triggers()) {
      List<MetricSpecAnswer> specs = specsByTrigger.get(t.index());
      if (specs == null || specs.isEmpty()) {
        throw new InputException("trigger " + t.index() + " (" + t.scalerAddress() + "): GetMetricSpec returned no metric spec");
      }
      for (MetricSpecAnswer s : specs) {
        long target = targetMilli(s);
        if (target <= 0) {
          throw new InputException("trigger " + t.index() + " metric " + s.metricName()
              + ": target must be positive (targetSize or targetSizeFloat), got " + s.targetSize() + " / " + s.targetSizeFloat());
        }
        MetricTarget mt = t.valueMetric() ? new MetricTarget.Value(target) : new MetricTarget.AverageValue(target);
        metrics.add(new ExternalMetric(hpaMetricName(t.index(), s.metricName()), mt));
      }
    }
    return new HpaSpec(so.hpaMinReplicas(), so.maxReplicaCount(), metrics, so.behavior());
  }
}
