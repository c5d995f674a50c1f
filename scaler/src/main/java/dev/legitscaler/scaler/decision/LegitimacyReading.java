package dev.legitscaler.scaler.decision;

import java.util.List;
import java.util.Map;

/**
 * One legitimacy refresh: which share of the current traffic is legitimate, and why.
 *
 * @param score s in [0, 1]; 1 = all traffic legitimate
 * @param attack true when the scorer declares an attack (several signals agree, no flash-crowd
 *     signature)
 * @param reasons reason codes raised in this window (e.g. {@code HEAVY_HITTERS}, {@code NEW_CLIENTS},
 *     {@code LOW_ENTROPY}, {@code INVALID_REQUESTS}, {@code FLASH_CROWD})
 * @param signals named numeric signals behind the score, for Explain and /metrics
 * @param topFlagged the clients most responsible for a low score, largest first
 * @param unscoredShare share of the window's traffic the scorer has not yet judged (new, not yet
 *     cleared clients); used by the decision to hold back increases driven by such traffic
 */
public record LegitimacyReading(
    double score,
    boolean attack,
    List<String> reasons,
    Map<String, Double> signals,
    List<FlaggedClient> topFlagged,
    double unscoredShare) {

  public LegitimacyReading {
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0, 1], was " + score);
    }
    reasons = List.copyOf(reasons);
    signals = Map.copyOf(signals);
    topFlagged = List.copyOf(topFlagged);
  }

  /** The reading used when legitimacy is off: everything legitimate, nothing unjudged. */
  public static LegitimacyReading allLegitimate() {
    return new LegitimacyReading(1.0, false, List.of(), Map.of(), List.of(), 0.0);
  }

  public record FlaggedClient(String client, double ratePerSecond, String reason) {}
}
