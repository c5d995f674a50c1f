package dev.legitscaler.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerSlotsTest {

  /** A clock the test moves by hand; parking just jumps to the deadline, late by {@code lateBy}. */
  private static final class HandClock implements MonotonicClock {
    long now;
    long lateBy;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void parkUntil(long deadline) {
      now = Math.max(now, deadline + lateBy);
    }
  }

  private static final long D = 10_000_000; // a 10 ms service time

  /** Serves {@code n} requests, all ready at 0, one after the other in one slot; returns the busy time. */
  private static long serveQueued(HandClock clock, WorkerSlots slots, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      WorkerSlots.Slot s = slots.acquire();
      long end = slots.begin(s, 0, D);
      clock.parkUntil(end);
      slots.end(s);
      slots.release(s);
    }
    return slots.busyNanos(clock.nanoTime());
  }

  @Test
  void queuedRequestsRunBackToBackOnTheScheduleHoweverLateTheWaiterWakes() throws Exception {
    for (long late : List.of(0L, 1_000_000L, 7_000_000L)) {
      HandClock clock = new HandClock();
      clock.lateBy = late;
      WorkerSlots slots = new WorkerSlots(1, clock);
      long busy = serveQueued(clock, slots, 10);
      // ten requests cost ten service times of busy time, and end (in wall time) one wake-up delay late
      assertThat(busy).as("late by %d ns", late).isEqualTo(10 * D);
      assertThat(clock.now).as("late by %d ns", late).isEqualTo(10 * D + late);
    }
  }

  @Test
  void anIdleSlotStartsARequestWhenItIsReadyAndInFlightWorkCountsByItsElapsedPart() throws Exception {
    HandClock clock = new HandClock();
    WorkerSlots slots = new WorkerSlots(2, clock);
    WorkerSlots.Slot a = slots.acquire();
    clock.now = 100 * D;
    long end = slots.begin(a, 100 * D, D);
    assertThat(end).isEqualTo(101 * D);
    assertThat(slots.busyNanos(100 * D + D / 4)).isEqualTo(D / 4);
    assertThat(slots.busyNanos(105 * D)).isEqualTo(D);
    clock.parkUntil(end);
    slots.end(a);
    slots.release(a);
    assertThat(slots.busyNanos(200 * D)).isEqualTo(D);
    // slots come back in FIFO order: b is the never-used slot, c is a (free on its schedule at 101 D)
    WorkerSlots.Slot b = slots.acquire();
    WorkerSlots.Slot c = slots.acquire();
    assertThat(slots.begin(b, 150 * D, 0)).as("an idle slot starts on arrival; a rejected body costs nothing")
        .isEqualTo(150 * D);
    slots.end(b);
    assertThat(slots.begin(c, 90 * D, D)).as("ready before the slot was free: starts when it frees").isEqualTo(102 * D);
  }
}
