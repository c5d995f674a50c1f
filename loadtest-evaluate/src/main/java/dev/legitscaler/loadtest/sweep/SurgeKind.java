package dev.legitscaler.loadtest.sweep;

import java.util.Locale;

/** Who sends a sweep cell's extra traffic: a legitimate crowd, or bots. One kind is one row of the table. */
public sealed interface SurgeKind {

  /** The class this kind is reported under. */
  String className();

  /** Whether the extra traffic is an attack. */
  boolean attack();

  /** A legitimate flash crowd: attack share 0. */
  record Crowd() implements SurgeKind {
    @Override
    public String className() {
      return "flash crowd (no attack)";
    }

    @Override
    public boolean attack() {
      return false;
    }
  }

  /**
   * A botnet whose sources each send {@code rateRatio} × the population's mean per-client rate and differ
   * from the population in {@code differs} only.
   */
  record Botnet(DifferingDimension differs, double rateRatio) implements SurgeKind {
    public Botnet {
      if (!(rateRatio > 0)) {
        throw new IllegalArgumentException("rate ratio must be > 0, was " + rateRatio);
      }
    }

    @Override
    public String className() {
      return "bots, differ in " + differs.keyword() + ", " + ratio(rateRatio) + " rate";
    }

    @Override
    public boolean attack() {
      return true;
    }
  }

  static String ratio(double r) {
    return r == Math.rint(r) ? String.format(Locale.ROOT, "%dx", (long) r) : String.format(Locale.ROOT, "%.1fx", r);
  }
}
