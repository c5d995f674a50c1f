package dev.legitscaler.loadtest.clock;

import java.util.concurrent.locks.LockSupport;

/**
 * A monotonic nanosecond clock that can wait until a point in its own time. Pacing and busy-time
 * accounting use it instead of the wall clock (which can jump); tests may substitute their own.
 */
public interface MonotonicClock {

  long nanoTime();

  /** Returns once {@link #nanoTime()} has reached {@code deadline}, or when interrupted. */
  void parkUntil(long deadline);

  /** The JVM's monotonic clock. */
  MonotonicClock SYSTEM = new MonotonicClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadline) {
      long remaining;
      while ((remaining = deadline - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
        LockSupport.parkNanos(remaining);
      }
    }
  };
}
