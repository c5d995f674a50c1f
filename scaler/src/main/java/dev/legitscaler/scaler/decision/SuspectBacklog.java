package dev.legitscaler.scaler.decision;

/**
 * How much of the queued lag was built by traffic the scorer judged illegitimate, carried from one
 * decision to the next (the decision itself stays a pure function: the Watch passes the previous
 * value in and keeps the one the decision returns).
 *
 * <p>When the lag grows by Δ while the applied score is s, (1 − s) × Δ of the growth is suspect. When
 * the lag shrinks, the suspect part shrinks in proportion (the queue drains old records of both kinds
 * alike). The legitimate share of the backlog, {@code 1 − suspect / lag}, is what the lag term is
 * discounted by: it is the score of the traffic that built the queue, not of the traffic arriving now.
 *
 * @param lag the uncapped total lag seen by the previous decision (KEDA's lag with persistent lag)
 * @param suspect the part of {@code lag} attributed to suspect traffic, in [0, lag]
 */
public record SuspectBacklog(long lag, double suspect) {
  /** No lag seen yet. */
  public static final SuspectBacklog NONE = new SuspectBacklog(0, 0);

  public SuspectBacklog {
    if (lag < 0) {
      lag = 0;
    }
    if (!(suspect >= 0)) {
      suspect = 0;
    }
    suspect = Math.min(suspect, lag);
  }

  /** The backlog after a refresh that saw {@code newLag} while the applied score was {@code score}. */
  public SuspectBacklog advance(long newLag, double score) {
    long l = Math.max(0, newLag);
    double s = Double.isNaN(score) ? 1 : Math.max(0, Math.min(1, score));
    if (l >= lag) {
      return new SuspectBacklog(l, suspect + (1 - s) * (l - lag));
    }
    return new SuspectBacklog(l, lag == 0 ? 0 : suspect * ((double) l / lag));
  }

  /** 1 − suspect / lag: the legitimate share of the queued records (1 when nothing is queued). */
  public double legitShare() {
    return lag == 0 ? 1 : Math.max(0, Math.min(1, 1 - suspect / lag));
  }
}
