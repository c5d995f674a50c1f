package dev.legitscaler.loadtest.hpa;

/** Which Kubernetes release's tolerance test to apply (see {@link Tolerance}). */
public enum ToleranceForm {
  /** Kubernetes ≤ 1.32: {@code |1 − ratio| ≤ tol}. */
  SYMMETRIC_1_32("1.32"),
  /** Kubernetes ≥ 1.33: {@code 1 − tolDown ≤ ratio ≤ 1 + tolUp}. */
  ASYMMETRIC_1_33("1.33");

  private final String label;

  ToleranceForm(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Accepts "1.32" / "1.33" (the release whose form to use). */
  public static ToleranceForm parse(String s) {
    for (ToleranceForm f : values()) {
      if (f.label.equals(s)) {
        return f;
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not a tolerance form; expected \"1.32\" (|1 - ratio| <= tol) or \"1.33\" (1 - down <= ratio <= 1 + up)");
  }
}
