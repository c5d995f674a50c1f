package dev.legitscaler.scaler.decision;

/** Whether the legitimacy score changes the published value or is only computed and exported. */
public enum LegitimacyMode {
  ENFORCE,
  SHADOW;

  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
