package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of worker slots (concurrent requests) and the time they are busy. Capacity is
 * slots / service time; the busy-time integral is what saturation is computed from.
 */
public final class WorkerSlots {

  private final int slots;
  private final Semaphore permits;
  private final MonotonicClock clock;
  private final AtomicLong completedBusyNanos = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong inFlightStartSum = new AtomicLong();

  public WorkerSlots(int slots, MonotonicClock clock) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1");
    }
    this.slots = slots;
    this.permits = new Semaphore(slots, true);
    this.clock = clock;
  }

  public int slots() {
    return slots;
  }

  /** Waits for a free slot. */
  public void acquire() throws InterruptedException {
    permits.acquire();
  }

  public void release() {
    permits.release();
  }

  /** Marks the start of busy work in an acquired slot; returns the start time for {@link #endBusy}. */
  public long beginBusy() {
    long now = clock.nanoTime();
    inFlightStartSum.addAndGet(now);
    inFlight.incrementAndGet();
    return now;
  }

  public void endBusy(long start) {
    long now = clock.nanoTime();
    completedBusyNanos.addAndGet(now - start);
    inFlight.decrementAndGet();
    inFlightStartSum.addAndGet(-start);
  }

  /** Slot-nanoseconds of busy time up to {@code now}, in-flight work included. */
  public long busyNanos(long now) {
    // the three counters are read without a lock: a request starting or ending in between skews one
    // sample by at most one service time, which the smoothing window absorbs
    long n = inFlight.get();
    long starts = inFlightStartSum.get();
    return completedBusyNanos.get() + Math.max(0, n * now - starts);
  }

  public MonotonicClock clock() {
    return clock;
  }
}
