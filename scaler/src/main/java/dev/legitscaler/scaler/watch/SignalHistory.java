package dev.legitscaler.scaler.watch;

import dev.legitscaler.scaler.decision.SignalState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a Watch remembers about one signal between refreshes: the last good reading and the last error.
 * Immutable; each refresh produces the next one.
 */
public record SignalHistory<R>(
    boolean configured,
    String offReason,
    Optional<R> lastGood,
    Optional<Instant> lastGoodAt,
    Optional<String> lastError,
    Optional<String> lastErrorCategory,
    Optional<Instant> lastErrorAt,
    long consecutiveFailures,
    boolean lastFetchFailed) {

  public static <R> SignalHistory<R> off(String reason) {
    return new SignalHistory<>(false, reason, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), 0, false);
  }

  public static <R> SignalHistory<R> pending() {
    return new SignalHistory<>(true, "", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), 0, false);
  }

  public SignalHistory<R> succeeded(R reading, Instant at) {
    return new SignalHistory<>(true, "", Optional.of(reading), Optional.of(at), lastError, lastErrorCategory,
        lastErrorAt, 0, false);
  }

  public SignalHistory<R> failed(String category, String message, Instant at) {
    return new SignalHistory<>(true, "", lastGood, lastGoodAt, Optional.of(message), Optional.of(category),
        Optional.of(at), consecutiveFailures + 1, true);
  }

  /** Whether anything was attempted yet. */
  public boolean attempted() {
    return lastGoodAt.isPresent() || lastErrorAt.isPresent();
  }

  public Optional<Duration> age(Instant now) {
    return lastGoodAt.map(t -> nonNegative(Duration.between(t, now)));
  }

  /** The decision's view of this signal at {@code now}. */
  public SignalState<R> state(Instant now, Duration staleAfter) {
    if (!configured) {
      return new SignalState.Off<>(offReason);
    }
    if (!attempted()) {
      return new SignalState.Pending<>();
    }
    Optional<Duration> age = age(now);
    if (lastGood.isPresent() && age.get().compareTo(staleAfter) < 0) {
      if (lastFetchFailed) {
        return new SignalState.Failing<>(lastGood.get(), age.get(), lastError.orElse(""), consecutiveFailures);
      }
      return new SignalState.Fresh<>(lastGood.get(), age.get());
    }
    return new SignalState.Stale<>(age, lastError.orElse("older than staleAfter"), consecutiveFailures);
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
