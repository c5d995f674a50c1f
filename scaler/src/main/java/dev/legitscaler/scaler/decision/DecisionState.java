package dev.legitscaler.scaler.decision;

import java.util.OptionalLong;

/**
 * What one trigger's decisions carry from one to the next, so that {@link Decision#decide} stays a pure
 * function: the live Watch and the offline evaluator each keep one of these, pass it in with every
 * decision and keep the one {@link #after} returns.
 *
 * @param lastPublished the value of the previous available decision, if any
 * @param backlog the suspect-backlog estimate returned by the previous decision
 */
public record DecisionState(OptionalLong lastPublished, SuspectBacklog backlog) {
  /** Before the first decision: nothing published, no backlog seen. */
  public static final DecisionState INITIAL = new DecisionState(OptionalLong.empty(), SuspectBacklog.NONE);

  public DecisionState {
    lastPublished = lastPublished == null ? OptionalLong.empty() : lastPublished;
    backlog = backlog == null ? SuspectBacklog.NONE : backlog;
  }

  /** The state after {@code result}: its backlog, and its value when it was available (published). */
  public DecisionState after(DecisionResult result) {
    return new DecisionState(result.available() ? OptionalLong.of(result.value()) : lastPublished, result.backlog());
  }
}
