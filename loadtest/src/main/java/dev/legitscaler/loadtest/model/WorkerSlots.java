package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed number of worker slots (concurrent requests), each with its own service schedule, and the
 * time they are busy. Capacity is slots / service time.
 *
 * <p>A slot serves a request from {@code max(ready, slot free)} for exactly the service time, where
 * {@code ready} is when the request reached the instance and {@code slot free} is when the slot's
 * previous request ended <em>on the schedule</em>. The emulated model is the server; the thread that
 * waits for the end of a request is only its stand-in, so when a loaded machine wakes it late, the next
 * request queued for the slot still starts at the scheduled end, not at the late wake-up. Without this a
 * replica loses every wake-up delay from its capacity: milliseconds per request on a busy machine, much
 * of a 13 ms service time at time scale 6. The busy time is the scheduled time, so the saturation it
 * yields is the served work over the nominal capacity. Latency is still measured on the wall clock.
 */
public final class WorkerSlots {

  /** One slot, leased to one request at a time; its fields are guarded by the lease. */
  public static final class Slot {
    private long freeAt = Long.MIN_VALUE;
    private volatile long busySince = IDLE;
    private volatile long busyUntil;
  }

  private static final long IDLE = Long.MIN_VALUE;

  private final int slots;
  private final Slot[] all;
  private final BlockingQueue<Slot> free;
  private final MonotonicClock clock;
  private final AtomicLong completedBusyNanos = new AtomicLong();

  public WorkerSlots(int slots, MonotonicClock clock) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be >= 1");
    }
    this.slots = slots;
    this.clock = clock;
    this.all = new Slot[slots];
    // fair: callers get slots in the order they asked, as requests in a queue would
    this.free = new ArrayBlockingQueue<>(slots, true);
    for (int i = 0; i < slots; i++) {
      all[i] = new Slot();
      free.add(all[i]);
    }
  }

  public int slots() {
    return slots;
  }

  /** Waits for a free slot. */
  public Slot acquire() throws InterruptedException {
    return free.take();
  }

  public void release(Slot slot) {
    free.add(slot);
  }

  /**
   * Schedules a request that became ready at {@code readyNanos} in the leased slot for {@code cost}
   * nanoseconds; returns the scheduled end, which the caller waits for before {@link #end}.
   */
  public long begin(Slot slot, long readyNanos, long cost) {
    long start = slot.freeAt == Long.MIN_VALUE ? readyNanos : Math.max(readyNanos, slot.freeAt);
    slot.busyUntil = start + cost;
    slot.busySince = start;
    return start + cost;
  }

  /** Ends the request begun in {@code slot}: its scheduled time counts as busy. */
  public void end(Slot slot) {
    long start = slot.busySince;
    long until = slot.busyUntil;
    completedBusyNanos.addAndGet(until - start);
    slot.freeAt = until;
    slot.busySince = IDLE;
  }

  /** Slot-nanoseconds of busy time up to {@code now}, the elapsed part of requests in flight included. */
  public long busyNanos(long now) {
    // read without a lock: a request ending in between is counted once in full or by its elapsed part,
    // a skew of at most one service time that the smoothing window absorbs
    long busy = completedBusyNanos.get();
    for (Slot s : all) {
      long since = s.busySince;
      if (since != IDLE) {
        busy += Math.max(0, Math.min(now, s.busyUntil) - since);
      }
    }
    return busy;
  }

  public MonotonicClock clock() {
    return clock;
  }
}
