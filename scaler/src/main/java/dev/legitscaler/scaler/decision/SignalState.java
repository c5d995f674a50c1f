package dev.legitscaler.scaler.decision;

import java.time.Duration;
import java.util.Optional;

/**
 * What the decision knows about one signal at decision time. A reading is usable while it is younger
 * than staleAfter, even if the latest refresh failed ({@link Failing}); such a signal still counts as
 * partial data.
 *
 * @param <R> the reading type
 */
public sealed interface SignalState<R>
    permits SignalState.Off, SignalState.Pending, SignalState.Fresh, SignalState.Failing, SignalState.Stale {

  /** Not configured for this ScaledObject. */
  record Off<R>(String reason) implements SignalState<R> {}

  /** Configured, but no refresh has completed yet. */
  record Pending<R>() implements SignalState<R> {}

  /** The latest refresh succeeded and is younger than staleAfter. */
  record Fresh<R>(R reading, Duration age) implements SignalState<R> {}

  /** The latest refresh failed; the last good reading is still younger than staleAfter. */
  record Failing<R>(R reading, Duration age, String error, long consecutiveFailures) implements SignalState<R> {}

  /** No reading younger than staleAfter. {@code age} is empty when there never was a good one. */
  record Stale<R>(Optional<Duration> age, String error, long consecutiveFailures) implements SignalState<R> {}

  /** The reading the decision may use, if any. */
  default Optional<R> usable() {
    if (this instanceof Fresh<R> f) {
      return Optional.of(f.reading());
    }
    if (this instanceof Failing<R> f) {
      return Optional.of(f.reading());
    }
    return Optional.empty();
  }

  default boolean configured() {
    return !(this instanceof Off);
  }

  /** Configured and anything but fresh: the decision is then made on partial data. */
  default boolean degraded() {
    return configured() && !(this instanceof Fresh);
  }

  /** Age of the newest good reading, if there is one. */
  default Optional<Duration> readingAge() {
    if (this instanceof Fresh<R> f) {
      return Optional.of(f.age());
    }
    if (this instanceof Failing<R> f) {
      return Optional.of(f.age());
    }
    if (this instanceof Stale<R> s) {
      return s.age();
    }
    return Optional.empty();
  }

  default String label() {
    if (this instanceof Off) {
      return "off";
    }
    if (this instanceof Pending) {
      return "pending";
    }
    if (this instanceof Fresh) {
      return "fresh";
    }
    if (this instanceof Failing) {
      return "failing";
    }
    return "stale";
  }
}
