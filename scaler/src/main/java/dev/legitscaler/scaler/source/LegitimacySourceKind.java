package dev.legitscaler.scaler.source;

import java.util.Locale;

/** {@code legitimacySource}: where the legitimacy score comes from. */
public enum LegitimacySourceKind {
  NONE,
  PROMETHEUS,
  KAFKA;

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The backend label used in upstream metrics. */
  public String backend() {
    return this == KAFKA ? "kafka" : "prometheus";
  }
}
