package dev.legitscaler.loadtest.hpa;

/** HPAScalingRules.selectPolicy. */
public enum SelectPolicy {
  /** The policy allowing the largest change wins (default). */
  Max,
  /** The policy allowing the smallest change wins. */
  Min,
  /** No scaling in this direction. */
  Disabled;

  /** Parses upstream's spelling, naming the accepted values on error. */
  public static SelectPolicy parse(String s) {
    for (SelectPolicy p : values()) {
      if (p.name().equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not a selectPolicy; expected Max, Min or Disabled");
  }
}
