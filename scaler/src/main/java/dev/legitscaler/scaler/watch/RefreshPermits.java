package dev.legitscaler.scaler.watch;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How many refreshes of one namespace (or calls to one backend) run at once. A refresh that finds every
 * permit taken waits in a queue without holding a thread; each release hands the permit to the oldest
 * waiter, so waiting is first come, first served: a refresh cannot be passed over again and again by
 * later ones, as it could when every waiter retried on its own. A waiter that has not been served
 * within its timeout (a slow or dead backend) leaves the queue and is told so.
 */
final class RefreshPermits {
  private final int capacity;
  // Guarded by this: permits in use (a permit handed to a waiter stays in use) and the waiters in order.
  private int inUse;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

  RefreshPermits(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Permits without a limit, for a watch whose namespace or backends are not limited (tests and tools). */
  static RefreshPermits unlimited() {
    return new RefreshPermits(Integer.MAX_VALUE);
  }

  /** Takes a permit only if one is free and nobody waits for one (a newcomer never jumps the queue). */
  synchronized boolean tryAcquire() {
    if (inUse < capacity && waiting.isEmpty()) {
      inUse++;
      return true;
    }
    return false;
  }

  /**
   * Runs {@code granted} holding a permit: now on the caller's thread if one is free, otherwise on
   * {@code scheduler} when the permit is handed over. When none is handed over within
   * {@code timeoutMillis}, runs {@code timedOut} instead (on the scheduler) and holds nothing. Exactly
   * one of the two runs, once; whoever runs {@code granted} must {@link #release()}.
   */
  void acquire(ScheduledExecutorService scheduler, long timeoutMillis, Runnable granted, Runnable timedOut) {
    Waiter w;
    synchronized (this) { // one step: a release between trying and queueing would leave the waiter unserved
      if (tryAcquire()) {
        w = null;
      } else {
        w = new Waiter(scheduler, granted, timedOut);
        waiting.add(w);
      }
    }
    if (w == null) {
      granted.run();
      return;
    }
    try {
      w.timer = scheduler.schedule(() -> timeOut(w), Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      timeOut(w); // the pool is shutting down: nobody would serve the waiter
    }
  }

  private void timeOut(Waiter w) {
    synchronized (this) {
      if (!waiting.remove(w)) {
        return; // already handed a permit
      }
    }
    w.timedOut.run();
  }

  /** Returns a permit: to the oldest waiter if there is one, otherwise to the pool. */
  void release() {
    while (true) {
      Waiter next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          inUse--;
          return;
        }
      }
      ScheduledFuture<?> timer = next.timer;
      if (timer != null) {
        timer.cancel(false);
      }
      try {
        next.executor.execute(next.granted);
        return;
      } catch (RejectedExecutionException e) {
        next.timedOut.run(); // shutting down: the permit goes on to the next waiter, or back
      }
    }
  }

  /** Permits in use, for tests and diagnostics. */
  synchronized int inUse() {
    return inUse;
  }

  /** Refreshes waiting for a permit, for tests and diagnostics. */
  synchronized int waiting() {
    return waiting.size();
  }

  private static final class Waiter {
    final Executor executor;
    final Runnable granted;
    final Runnable timedOut;
    volatile ScheduledFuture<?> timer; // set just after queueing; a grant before that leaves it to fire idle

    Waiter(Executor executor, Runnable granted, Runnable timedOut) {
      this.executor = executor;
      this.granted = granted;
      this.timedOut = timedOut;
    }
  }
}
