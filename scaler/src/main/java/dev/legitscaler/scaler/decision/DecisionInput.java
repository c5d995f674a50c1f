package dev.legitscaler.scaler.decision;

import dev.legitscaler.scaler.legitimacy.LegitimacyReading;
import dev.legitscaler.scaler.signal.kafka.LagReading;
import dev.legitscaler.scaler.signal.prometheus.LoadReading;
import java.util.OptionalLong;

/**
 * Everything one decision looks at.
 *
 * @param lastPublished the value of the previous available decision of this Watch, if any
 */
public record DecisionInput(
    SignalState<LoadReading> load,
    SignalState<LagReading> lag,
    SignalState<LegitimacyReading> legitimacy,
    OptionalLong lastPublished) {}
