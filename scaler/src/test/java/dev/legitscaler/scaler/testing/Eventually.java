package dev.legitscaler.scaler.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polls until a condition holds, for state that a real server reaches asynchronously (a scrape, a rule
 * evaluation). Timeouts are generous on purpose: they bound a failing test, they never measure speed.
 */
public final class Eventually {
  private Eventually() {}

  /** An attempt that may throw (e.g. a SignalException while Prometheus has not scraped yet). */
  @FunctionalInterface
  public interface Attempt<T> {
    T get() throws Exception;
  }

  /** The first result of {@code attempt} that satisfies {@code done}; AssertionError after {@code timeout}. */
  public static <T> T until(Duration timeout, String what, Attempt<T> attempt, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = "(no attempt finished)";
    while (true) {
      try {
        T value = attempt.get();
        if (done.test(value)) {
          return value;
        }
        last = value;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " after " + timeout + "; last attempt: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
