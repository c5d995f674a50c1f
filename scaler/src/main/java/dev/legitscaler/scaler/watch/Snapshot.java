package dev.legitscaler.scaler.watch;

import dev.legitscaler.scaler.decision.DecisionInput;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The latest state of a Watch, published atomically after each refresh; RPC handlers only read this.
 */
public record Snapshot(
    Instant decidedAt,
    DecisionInput input,
    DecisionResult result,
    SignalHistory<LoadReading> load,
    SignalHistory<LagReading> lag,
    SignalHistory<LegitimacyReading> legitimacy) {

  /** Time of the newest good reading of any demand signal (load or lag). */
  public Optional<Instant> newestDemandReadingAt() {
    return Stream.of(load.lastGoodAt(), lag.lastGoodAt()).flatMap(Optional::stream).max(Instant::compareTo);
  }

  /** As {@link #newestDemandReadingAt()}, null when none; no streams (read on every GetMetrics). */
  public Instant newestDemandReadingAtOrNull() {
    Instant l = load.lastGoodAt().orElse(null);
    Instant g = lag.lastGoodAt().orElse(null);
    if (l == null) {
      return g;
    }
    return g == null || l.isAfter(g) ? l : g;
  }

  /** Time of the newest good reading of any signal. */
  public Optional<Instant> newestReadingAt() {
    return Stream.of(load.lastGoodAt(), lag.lastGoodAt(), legitimacy.lastGoodAt()).flatMap(Optional::stream)
        .max(Instant::compareTo);
  }
}
