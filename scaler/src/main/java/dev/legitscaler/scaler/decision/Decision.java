package dev.legitscaler.scaler.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The scaling decision: a pure function of the policy and the signal states, without clock, I/O or
 * state of its own.
 *
 * <pre>
 * D_load = Σ load_i / targetLoad
 * D_lag  = totalLag / lagThreshold
 * s      = legitimacy score (1 when the source is none, the mode is shadow, or there is no reading)
 * b      = legitimate share of the queued lag (SuspectBacklog: lag growth attributed to the score at
 *          the time it grew, carried from one decision to the next; 1 without lag)
 * q      = the lag the legitimate traffic alone would have queued (SuspectBacklog: s × arrivals − served,
 *          from the committed offsets; the legitimate share of the lag while they are unknown)
 * D      = max(min(s, b) × D_load, min(b × D_lag, min(q, lag) / lagThreshold))
 * replicas: value = clamp(ceil(D), minReplicas, maxReplicas), target 1
 * load:     value = round(D × unit × 1000), target = unit × 1000   (unit = targetLoad, else lagThreshold)
 * </pre>
 *
 * <p>The lag term is discounted by b, the score of the traffic that <i>built</i> the backlog, not by
 * the score of the traffic arriving now: a flood above capacity leaves a backlog that is mostly the
 * attacker's, and once the attack stops (s back to 1) that backlog must not buy replicas. The load
 * term takes the smaller of s and b: while a backlog drains, the pods' work is the queued records.
 *
 * <p>Rules applied after that, in this order:
 *
 * <ol>
 *   <li><b>Hold-back of unscored increases</b> ({@code holdUnscoredIncrease}, default on). When the
 *       score is enforced and the scorer reports that a share u of the window's traffic comes from
 *       clients it has not judged yet, an increase above the last published value is computed from
 *       the cleared share only: {@code (1 − u) × D}. An attack shows up in the load at the
 *       very next refresh, before any scorer can have judged it; publishing that raised value lets the
 *       next HPA sync buy a replica that the scale-down window then keeps for about five minutes.
 *       Increases carried by known clients at normal rates (u = 0) are published at once; decreases
 *       are never held. Once the scorer has judged the new clients (legitimate: u falls and the
 *       increase goes through; attackers: s falls), the hold resolves by itself.
 *   <li><b>Partial data never lowers.</b> When a configured signal (load, lag or legitimacy) is not
 *       fresh while a demand signal is usable, the decision uses what it has but never publishes less
 *       than the last published value (the HPA's own rule for partially failing metrics).
 * </ol>
 *
 * <p>When neither demand signal has a reading younger than staleAfter the decision is unavailable:
 * GetMetrics answers UNAVAILABLE so that KEDA's fallback engages. A legitimacy signal without a
 * reading fails open (s = 1): a broken scorer must not starve legitimate traffic, and the replica
 * range caps what an attack could buy meanwhile.
 *
 * <p>Activity: active when D > activationThreshold or the lag reading says active (KEDA's
 * activationLagThreshold semantics).
 */
public final class Decision {
  /** ceil() of a value like 5.000000000001 produced by floating-point sums must stay 5. */
  private static final double CEIL_EPSILON = 1e-9;

  private Decision() {}

  public static DecisionResult decide(DecisionPolicy policy, DecisionInput in) {
    List<String> notes = new ArrayList<>();
    Optional<LoadReading> load = in.load().usable();
    Optional<LagReading> lag = in.lag().usable();
    double target = policy.encoding().target();

    if (load.isEmpty() && lag.isEmpty()) {
      boolean warming = (in.load() instanceof SignalState.Pending || !in.load().configured())
          && (in.lag() instanceof SignalState.Pending || !in.lag().configured());
      String state = warming ? "warming-up" : "stale";
      notes.add("no usable demand signal (load " + in.load().label() + ", lag " + in.lag().label()
          + "): GetMetrics answers UNAVAILABLE so KEDA's fallback engages");
      Optional<LegitimacyReading> lr = in.legitimacy().usable();
      double score = lr.map(LegitimacyReading::score).orElse(Double.NaN);
      return new DecisionResult(false, state, 0, 0, target, false, Double.NaN, Double.NaN, Double.NaN,
          score, Double.NaN, Double.NaN, 0, "none", false, false, notes, Double.NaN, in.backlog());
    }

    double dLoad = load.map(r -> r.sum() / policy.targetLoad()).orElse(Double.NaN);
    double dLag = lag.map(r -> (double) r.totalLag() / policy.lagThreshold()).orElse(Double.NaN);
    double raw = Math.max(load.isPresent() ? dLoad : 0, lag.isPresent() ? dLag : 0);
    if (in.load().degraded()) {
      notes.add("load signal " + in.load().label() + (load.isPresent() ? ": using its last good reading" : ": not used"));
    }
    if (in.lag().degraded()) {
      notes.add("lag signal " + in.lag().label() + (lag.isPresent() ? ": using its last good reading" : ": not used"));
    }

    // Legitimacy.
    Optional<LegitimacyReading> legit = in.legitimacy().usable();
    boolean enforced = in.legitimacy().configured() && policy.legitimacyMode() == LegitimacyMode.ENFORCE;
    double score = legit.map(LegitimacyReading::score).orElse(Double.NaN);
    double applied;
    if (!in.legitimacy().configured()) {
      applied = 1;
    } else if (legit.isEmpty()) {
      applied = 1;
      notes.add("legitimacy signal " + in.legitimacy().label() + ": no reading, scoring as 1 (fail open)");
    } else if (!enforced) {
      applied = 1;
      notes.add("legitimacy in shadow mode: score " + DecisionResult.fmt(score) + " computed, not applied");
    } else {
      applied = score;
      if (in.legitimacy().degraded()) {
        notes.add("legitimacy signal " + in.legitimacy().label() + ": using its last good reading");
      }
    }
    // Legitimate share of the backlog: lag growth attributed to the score at the time it grew.
    SuspectBacklog backlog = in.backlog();
    double lagShare = 1;
    double lagTerm = 0;
    if (lag.isPresent()) {
      backlog = in.backlog().advance(lag.get().totalLagWithPersistent(), lag.get().committedTotal(), applied);
      lagShare = backlog.legitShare();
      lagTerm = lagShare * dLag;
      if (lagShare < 1) {
        notes.add("backlog: " + Math.round(backlog.suspect()) + " of " + backlog.lag()
            + " queued records were added while the score was low; the lag term counts the legitimate share "
            + DecisionResult.fmt(lagShare) + " (not the current score), the load term min(s, share)");
        // the queue the legitimate traffic would have built by itself: when the suspect traffic is what
        // overflows the replicas, the lag term must not buy a replica for the legitimate records stuck
        // behind it (it counts at most that queue, capped as KEDA caps the lag)
        double alone = Math.min(backlog.legitAlone(), lag.get().totalLag()) / policy.lagThreshold();
        if (alone < lagTerm) {
          notes.add("backlog: the legitimate traffic alone would have queued " + Math.round(backlog.legitAlone())
              + " records (the consumers took the rest): the lag term counts " + DecisionResult.fmt(alone)
              + " instead of " + DecisionResult.fmt(lagTerm));
          lagTerm = alone;
        }
      }
    }
    double scored = Math.max(load.isPresent() ? Math.min(applied, lagShare) * dLoad : 0,
        lag.isPresent() ? lagTerm : 0);

    Encoded full = encode(policy, scored);
    long value = full.value;
    OptionalLong last = in.lastPublished();

    // Hold-back of increases driven by traffic the scorer has not judged yet.
    boolean heldUnscored = false;
    if (policy.holdUnscoredIncrease() && enforced && legit.isPresent() && last.isPresent()
        && value > last.getAsLong()) {
      double u = clamp01(legit.get().unscoredShare());
      if (u > 0) {
        long cleared = encode(policy, (1 - u) * scored).value;
        long held = Math.max(last.getAsLong(), cleared);
        if (held < value) {
          heldUnscored = true;
          notes.add("increase " + last.getAsLong() + " -> " + value + " held back to " + held + ": "
              + DecisionResult.fmt(u * 100) + " % of the traffic is not scored yet, so only the cleared share counts");
          value = held;
        }
      }
    }

    // Partial data never lowers the published value.
    boolean partial = in.load().degraded() || in.lag().degraded() || in.legitimacy().degraded();
    boolean heldPartial = false;
    if (partial && last.isPresent() && value < last.getAsLong()) {
      heldPartial = true;
      notes.add("partial data: keeping the last published value " + last.getAsLong() + " instead of " + value);
      value = last.getAsLong();
    }

    boolean active = scored > policy.activationThreshold() || lag.map(LagReading::active).orElse(false);
    return new DecisionResult(true, partial ? "partial" : "fresh", value, value, target, active, dLoad, dLag,
        raw, score, applied, scored, full.ceil, full.clamp, heldPartial, heldUnscored, notes,
        lag.isPresent() ? lagShare : Double.NaN, backlog);
  }

  private record Encoded(long value, long ceil, String clamp) {}

  private static Encoded encode(DecisionPolicy policy, double demand) {
    if (policy.encoding() instanceof MetricEncoding.LoadPerMille l) {
      long perMille = Math.round(demand * l.unitPerReplica() * 1000.0);
      return new Encoded(perMille, perMille, "none");
    }
    long ceil = (long) Math.ceil(demand - CEIL_EPSILON);
    if (ceil < policy.minReplicas()) {
      return new Encoded(policy.minReplicas(), ceil, "min");
    }
    if (ceil > policy.maxReplicas()) {
      return new Encoded(policy.maxReplicas(), ceil, "max");
    }
    return new Encoded(ceil, ceil, "none");
  }

  private static double clamp01(double d) {
    return Double.isNaN(d) ? 0 : Math.max(0, Math.min(1, d));
  }
}
