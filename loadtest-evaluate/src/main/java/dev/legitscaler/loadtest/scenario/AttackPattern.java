package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/** The time shape of an attack's rate: a factor in [0, 1] of its full rate at a time since its start. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = AttackPattern.Constant.class, name = "constant"),
  @JsonSubTypes.Type(value = AttackPattern.Pulsing.class, name = "pulsing"),
})
public sealed interface AttackPattern {

  double factorAt(long nanosSinceStart);

  /** Full rate all along. */
  record Constant() implements AttackPattern {
    @Override
    public double factorAt(long nanosSinceStart) {
      return 1.0;
    }
  }

  /**
   * On for {@code dutyCycle} × {@code period} at the start of every period, off for the rest: the
   * pattern that games controllers whose windows are longer than the pulse.
   */
  record Pulsing(@JsonProperty("period") Duration period, @JsonProperty("dutyCycle") Double dutyCycle)
      implements AttackPattern {
    @Override
    public double factorAt(long nanosSinceStart) {
      long p = period.toNanos();
      long intoPeriod = Math.floorMod(nanosSinceStart, p);
      return intoPeriod < Math.round(p * dutyCycle) ? 1.0 : 0.0;
    }
  }
}
