package dev.legitscaler.scaler.legitimacy.prometheus;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.Map;

/** Keys of {@code legitimacySource: prometheus} (a ratio query returning the legitimate share). */
public final class LegitimacyQueryConfig {
  public static LegitimacyQueryConfig parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public Map<String, String> describe() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
