package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.Map;

/** Keys of {@code legitimacySource: kafka} (request topic or access-log topic, identity header, ...). */
public final class TrafficScorerConfig {
  public static TrafficScorerConfig parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public Map<String, String> describe() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
