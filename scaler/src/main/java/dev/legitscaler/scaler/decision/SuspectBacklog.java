package dev.legitscaler.scaler.decision;

/**
 * How much of the queued lag was built by traffic the scorer judged illegitimate, carried from one
 * decision to the next (the decision itself stays a pure function: the Watch passes the previous
 * value in and keeps the one the decision returns).
 *
 * <p>When the lag grows by Δ while the applied score is s, (1 − s) × Δ of the growth is suspect. When
 * the lag shrinks, the suspect part shrinks in proportion (the queue drains old records of both kinds
 * alike). The legitimate share of the backlog, {@code 1 − suspect / lag}, is what the load term is
 * discounted by: it is the score of the traffic that built the queue, not of the traffic arriving now.
 *
 * <p>The queue the legitimate traffic would have built <i>by itself</i> is carried too, when the lag
 * reading says how many records the consumers took since the previous decision (the committed
 * offsets): it grows by the legitimate arrivals (s × arrivals) minus everything served, and never falls
 * below 0. A queue that exists only because suspect traffic takes the capacity (bots saturating the
 * replicas while the legitimate traffic alone would fit) is then 0, and the lag term cannot buy a
 * replica for it; a legitimate demand above capacity builds it at once.
 *
 * @param lag the uncapped total lag seen by the previous decision (KEDA's lag with persistent lag)
 * @param suspect the part of {@code lag} attributed to suspect traffic, in [0, lag]
 * @param legitAlone the lag the legitimate traffic alone would have built, in [0, lag]; equal to
 *     {@code lag − suspect} while the committed offsets are unknown
 * @param committed the sum of the committed offsets seen by the previous decision, or
 *     {@link #UNKNOWN}
 */
public record SuspectBacklog(long lag, double suspect, double legitAlone, long committed) {
  /** No committed offsets known (no reading yet, a partition without a commit). */
  public static final long UNKNOWN = -1;

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
    if (!(legitAlone >= 0)) {
      legitAlone = 0;
    }
    legitAlone = Math.min(legitAlone, lag);
    if (committed < 0) {
      committed = UNKNOWN;
    }
  }

  /** A backlog without committed offsets: the legitimate queue is the legitimate share of the lag. */
  public SuspectBacklog(long lag, double suspect) {
    this(lag, suspect, lag - Math.max(0, suspect), UNKNOWN);
  }

  /** The backlog after a refresh that saw {@code newLag} while the applied score was {@code score}. */
  public SuspectBacklog advance(long newLag, double score) {
    return advance(newLag, UNKNOWN, score);
  }

  /**
   * The backlog after a refresh that saw {@code newLag} and the committed offsets summing to
   * {@code committedNow} ({@link #UNKNOWN} when not known) while the applied score was {@code score}.
   */
  public SuspectBacklog advance(long newLag, long committedNow, double score) {
    long l = Math.max(0, newLag);
    double s = Double.isNaN(score) ? 1 : Math.max(0, Math.min(1, score));
    double newSuspect = l >= lag ? suspect + (1 - s) * (l - lag) : (lag == 0 ? 0 : suspect * ((double) l / lag));
    double alone;
    if (committed != UNKNOWN && committedNow != UNKNOWN && committedNow >= committed) {
      long served = committedNow - committed;
      double arrived = Math.max(0, served + (l - lag));
      alone = legitAlone + s * arrived - served;
    } else {
      alone = l - newSuspect;
    }
    return new SuspectBacklog(l, newSuspect, alone, committedNow);
  }

  /** 1 − suspect / lag: the legitimate share of the queued records (1 when nothing is queued). */
  public double legitShare() {
    return lag == 0 ? 1 : Math.max(0, Math.min(1, 1 - suspect / lag));
  }
}
