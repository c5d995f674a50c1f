package dev.legitscaler.scaler.decision;

import java.util.OptionalLong;

/**
 * Everything one decision looks at.
 *
 * @param lastPublished the value of the previous available decision of this Watch, if any
 * @param backlog the suspect-backlog estimate returned by the previous decision of this Watch
 *     ({@link SuspectBacklog#NONE} for the first one)
 */
public record DecisionInput(
    SignalState<LoadReading> load,
    SignalState<LagReading> lag,
    SignalState<LegitimacyReading> legitimacy,
    OptionalLong lastPublished,
    SuspectBacklog backlog) {

  public DecisionInput {
    backlog = backlog == null ? SuspectBacklog.NONE : backlog;
  }

  /** A decision that carries {@code state} from the previous one. */
  public DecisionInput(SignalState<LoadReading> load, SignalState<LagReading> lag,
      SignalState<LegitimacyReading> legitimacy, DecisionState state) {
    this(load, lag, legitimacy, state.lastPublished(), state.backlog());
  }

  /** A decision without a carried backlog estimate (first refresh, or tests of stateless rules). */
  public DecisionInput(SignalState<LoadReading> load, SignalState<LagReading> lag,
      SignalState<LegitimacyReading> legitimacy, OptionalLong lastPublished) {
    this(load, lag, legitimacy, lastPublished, SuspectBacklog.NONE);
  }
}
