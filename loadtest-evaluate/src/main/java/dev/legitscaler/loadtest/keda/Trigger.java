package dev.legitscaler.loadtest.keda;

import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code spec.triggers}.
 *
 * @param index position in the list: KEDA prefixes the HPA metric name with {@code s<index>-}
 * @param valueMetric {@code metricType: Value}; otherwise AverageValue (KEDA's default)
 * @param metadata the whole metadata map, forwarded to the scaler as {@code scalerMetadata}
 */
public record Trigger(int index, String type, String name, boolean valueMetric, Map<String, String> metadata) {
  public Trigger {
    Objects.requireNonNull(type, "type");
    metadata = Map.copyOf(metadata);
  }

  public String scalerAddress() {
    return metadata.get("scalerAddress");
  }
}
