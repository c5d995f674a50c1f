package dev.legitscaler.loadtest.model;

import java.util.TreeSet;

/**
 * The records of one assigned partition handed to the worker slots and not yet served. Slots finish
 * out of order; what may be committed is the position below which every record is served: the oldest
 * unserved offset, or the one after the newest handed out when all are served. Shared by the consumer
 * thread (hands out, commits) and the slot threads (finish).
 */
final class PartitionProgress {

  private final TreeSet<Long> unserved = new TreeSet<>();
  private long next = -1;
  private long lastCommitted = -1;

  synchronized void handedOut(long offset) {
    unserved.add(offset);
    next = Math.max(next, offset + 1);
  }

  synchronized void served(long offset) {
    unserved.remove(offset);
    if (unserved.isEmpty()) {
      notifyAll();
    }
  }

  /** The position to commit: every offset below it is served; -1 before anything was handed out. */
  synchronized long committable() {
    return unserved.isEmpty() ? next : unserved.first();
  }

  /** {@link #committable()} if it moved since the last call that returned it, else -1. */
  synchronized long committableIfMoved() {
    long c = committable();
    if (c <= lastCommitted) {
      return -1;
    }
    lastCommitted = c;
    return c;
  }

  synchronized int unserved() {
    return unserved.size();
  }

  /** Waits until every record handed out is served, or until {@code deadlineNanos} (System.nanoTime). */
  synchronized boolean awaitAllServed(long deadlineNanos) throws InterruptedException {
    long left;
    while (!unserved.isEmpty() && (left = deadlineNanos - System.nanoTime()) > 0) {
      wait(Math.max(1, left / 1_000_000));
    }
    return unserved.isEmpty();
  }
}
