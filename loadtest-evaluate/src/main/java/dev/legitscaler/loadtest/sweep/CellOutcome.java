package dev.legitscaler.loadtest.sweep;

import dev.legitscaler.loadtest.evaluate.Evaluator;
import dev.legitscaler.loadtest.evaluate.Summary;
import java.time.Duration;

/**
 * What one sweep cell measured.
 *
 * @param detectionSeconds seconds from the attack's start to the first refresh that declared it; null
 *     when it was never declared (and always for a crowd)
 * @param windows the scorer's refreshes that count for the false-positive rate: for a crowd, those inside
 *     the crowd phase; for a botnet, those whose window held only legitimate traffic (before the attack,
 *     and a window after its end)
 * @param lowScoreWindows of {@code windows}, those with s &lt; 0.9
 * @param legitWasted the legitimacy-aware policy's replica-minutes above what the legitimate traffic needs
 * @param naiveWasted the same for the naive load-only policy
 */
public record CellOutcome(SweepCell cell, Long detectionSeconds, int windows, int lowScoreWindows,
    double legitWasted, double naiveWasted, int replicasMax, int naiveReplicasMax, double minScore) {

  public CellOutcome {
    if (lowScoreWindows < 0 || lowScoreWindows > windows) {
      throw new IllegalArgumentException("low-score windows must be in 0.." + windows + ", was " + lowScoreWindows);
    }
  }

  /** The cell's numbers from its evaluation; {@code crowdFrom}/{@code crowdTo}: the crowd phase. */
  public static CellOutcome measure(SweepCell cell, Evaluator.Result r, Duration crowdFrom, Duration crowdTo) {
    Summary.Computed c = Summary.compute(r);
    int windows;
    int low;
    if (cell.kind().attack()) {
      windows = c.legitOnlyWindows();
      low = (int) Math.round(c.legitOnlyLowScoreWindowShare() * windows);
    } else {
      windows = 0;
      low = 0;
      for (Evaluator.Refresh f : r.refreshes()) {
        if (f.tMillis() >= crowdFrom.toMillis() && f.tMillis() < crowdTo.toMillis()) {
          windows++;
          if (f.score() < Summary.NORMAL_SCORE) {
            low++;
          }
        }
      }
    }
    Long detection = cell.kind().attack() ? c.detectionDelaySeconds() : null;
    return new CellOutcome(cell, detection, windows, low, c.legit().wastedReplicaMinutes(),
        c.naive().wastedReplicaMinutes(), c.legit().replicasMax(), c.naive().replicasMax(), c.minScore());
  }
}
