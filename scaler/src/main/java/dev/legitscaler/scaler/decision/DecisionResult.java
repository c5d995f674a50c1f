package dev.legitscaler.scaler.decision;

import java.util.List;

/**
 * The outcome of one decision, with every term that led to it. Doubles are NaN where a term does not
 * apply (e.g. {@code lagDemand} when the lag signal is off or stale).
 *
 * @param available false when no demand signal is usable: GetMetrics then answers UNAVAILABLE so that
 *     KEDA's fallback engages
 * @param state {@code fresh}, {@code partial}, {@code stale} or {@code warming-up}
 * @param value the published int64 value (replicas, or load units × 1000)
 * @param valueFloat the same value for the double field
 * @param target the per-replica target of the metric spec
 * @param active the IsActive answer
 * @param loadDemand D_load = Σ load / targetLoad
 * @param lagDemand D_lag = totalLag / lagThreshold
 * @param rawDemand max of the usable demand terms
 * @param score the computed legitimacy score (NaN when legitimacy is off or has no usable reading)
 * @param appliedScore the score used: 1 when legitimacy is off, in shadow mode, or without a reading
 * @param scoredDemand D = max(min(appliedScore, lagLegitShare) × loadDemand, lagLegitShare × lagDemand)
 * @param ceil ceil(D) before clamping (replica encoding), or the unclamped per-mille value (load)
 * @param clamp {@code none}, {@code min} or {@code max}
 * @param heldByPartialData the value was raised to the last published one because a configured
 *     signal was not fresh
 * @param heldByUnscoredIncrease part of an increase was held back because the scorer had not judged
 *     that traffic yet
 * @param notes one human-readable line per rule that fired
 * @param lagLegitShare b: the legitimate share of the queued lag (NaN without a usable lag reading)
 * @param backlog the suspect-backlog estimate after this decision, to pass into the next one
 */
public record DecisionResult(
    boolean available,
    String state,
    long value,
    double valueFloat,
    double target,
    boolean active,
    double loadDemand,
    double lagDemand,
    double rawDemand,
    double score,
    double appliedScore,
    double scoredDemand,
    long ceil,
    String clamp,
    boolean heldByPartialData,
    boolean heldByUnscoredIncrease,
    List<String> notes,
    double lagLegitShare,
    SuspectBacklog backlog) {

  public DecisionResult {
    notes = List.copyOf(notes);
  }

  /** One-line summary for logs and Explain. */
  public String summary() {
    if (!available) {
      return state + ": no usable demand signal, GetMetrics answers UNAVAILABLE";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("publish ").append(value).append(" (").append(state).append(')');
    sb.append(": D=").append(fmt(scoredDemand)).append(" = s ").append(fmt(appliedScore))
        .append(" x max(load ").append(fmt(loadDemand)).append(", lag ").append(fmt(lagDemand)).append(')');
    if (!Double.isNaN(lagLegitShare) && lagLegitShare < 1) {
      sb.append(", backlog legit share ").append(fmt(lagLegitShare));
    }
    if (!"none".equals(clamp)) {
      sb.append(", clamped to ").append(clamp);
    }
    if (heldByPartialData) {
      sb.append(", held by partial data");
    }
    if (heldByUnscoredIncrease) {
      sb.append(", unscored increase held back");
    }
    return sb.toString();
  }

  static String fmt(double d) {
    if (Double.isNaN(d)) {
      return "-";
    }
    return String.format(java.util.Locale.ROOT, "%.3f", d);
  }
}
