package dev.legitscaler.loadtest.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure ports of stabilizeRecommendation (legacy, no behavior) and stabilizeRecommendationWithBehaviors.
 * Both record the raw recommendation, reusing the slot of the last sample that fell out of every
 * window, so the history stays as long as upstream's.
 */
public final class Stabilization {
  private Stabilization() {}

  /**
   * @param replicas the stabilized recommendation
   * @param reason AbleToScale reason when it differs from the raw one (ScaleUpStabilized/ScaleDownStabilized)
   * @param history the recommendation history after recording the raw recommendation
   */
  public record Result(int replicas, String reason, String message, List<Recommendation> history) {}

  /**
   * Legacy: the max of the raw recommendation and every recommendation not older than the window
   * (upstream keeps a sample exactly at the cutoff: it tests {@code Before(cutoff)}).
   */
  public static Result legacy(List<Recommendation> history, int prenormalized, Instant now, Duration window) {
    List<Recommendation> h = new ArrayList<>(history);
    int max = prenormalized;
    boolean foundOld = false;
    int oldIndex = 0;
    Instant cutoff = now.minus(window);
    for (int i = 0; i < h.size(); i++) {
      Recommendation rec = h.get(i);
      if (rec.at().isBefore(cutoff)) {
        foundOld = true;
        oldIndex = i;
      } else if (rec.replicas() > max) {
        max = rec.replicas();
      }
    }
    record(h, foundOld, oldIndex, new Recommendation(prenormalized, now));
    return new Result(max, "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation", List.copyOf(h));
  }

  /**
   * With behavior: upRec = min(raw, recs newer than the up window), downRec = max(raw, recs newer than
   * the down window); the current size is raised to upRec if below it and lowered to downRec if above
   * it. Upstream uses {@code After(cutoff)} here: a sample exactly at the cutoff is outside the window.
   */
  public static Result withBehavior(
      List<Recommendation> history, int current, int prenormalized, Behavior behavior, Instant now) {
    List<Recommendation> h = new ArrayList<>(history);
    boolean foundOld = false;
    int oldIndex = 0;
    int up = prenormalized;
    Instant upCutoff = now.minusSeconds(behavior.scaleUp().stabilizationWindowSeconds());
    int down = prenormalized;
    Instant downCutoff = now.minusSeconds(behavior.scaleDown().stabilizationWindowSeconds());
    for (int i = 0; i < h.size(); i++) {
      Recommendation rec = h.get(i);
      if (rec.at().isAfter(upCutoff)) {
        up = Math.min(rec.replicas(), up);
      }
      if (rec.at().isAfter(downCutoff)) {
        down = Math.max(rec.replicas(), down);
      }
      if (rec.at().isBefore(upCutoff) && rec.at().isBefore(downCutoff)) {
        foundOld = true;
        oldIndex = i;
      }
    }
    int recommendation = current;
    if (recommendation < up) {
      recommendation = up;
    }
    if (recommendation > down) {
      recommendation = down;
    }
    record(h, foundOld, oldIndex, new Recommendation(prenormalized, now));
    // upstream picks the message from the raw direction, not from which bound applied
    if (prenormalized >= current) {
      return new Result(recommendation, "ScaleUpStabilized",
          "recent recommendations were lower than current one, applying the lowest recent recommendation", List.copyOf(h));
    }
    return new Result(recommendation, "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation", List.copyOf(h));
  }

  private static void record(List<Recommendation> h, boolean foundOld, int oldIndex, Recommendation rec) {
    if (foundOld) {
      h.set(oldIndex, rec);
    } else {
      h.add(rec);
    }
  }
}
