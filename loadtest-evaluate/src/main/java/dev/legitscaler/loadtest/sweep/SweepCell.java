package dev.legitscaler.loadtest.sweep;

import java.util.Locale;

/**
 * One scenario of the sweep.
 *
 * @param kind who sends the extra traffic (the class the cell counts in)
 * @param surgeShare share of the total traffic at the surge's peak that is extra over the baseline
 *     (0.8: the total is 5 × the baseline); for bots this is the attack share
 * @param novelty how many of the extra clients were never seen
 * @param seed the scenario's seed
 */
public record SweepCell(SurgeKind kind, double surgeShare, Novelty novelty, long seed) {
  public SweepCell {
    if (!(surgeShare > 0 && surgeShare < 1)) {
      throw new IllegalArgumentException("surge share must be in (0, 1), was " + surgeShare);
    }
  }

  /** Share of the peak traffic sent by bots: the surge share for a botnet, 0 for a crowd. */
  public double attackShare() {
    return kind.attack() ? surgeShare : 0.0;
  }

  /** A unique, readable scenario name, e.g. {@code sweep-bots-networks-3x-80pct-new}. */
  public String name() {
    String who = kind instanceof SurgeKind.Botnet b
        ? "bots-" + b.differs().keyword() + "-" + SurgeKind.ratio(b.rateRatio())
        : "crowd";
    return String.format(Locale.ROOT, "sweep-%s-%dpct-%s", who, Math.round(surgeShare * 100), novelty.keyword());
  }
}
