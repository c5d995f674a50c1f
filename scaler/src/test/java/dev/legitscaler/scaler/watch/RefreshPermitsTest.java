package dev.legitscaler.scaler.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Permits handed over first come, first served, and the wait a refresh may spend on them. */
class RefreshPermitsTest {
  private static final long NEVER = TimeUnit.MINUTES.toMillis(10);
  private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @ParameterizedTest(name = "interval {0} ms -> waits at most {1} ms")
  @CsvSource({
      "30000, 15000",
      "5000, 2500",
      "5001, 2500",
      "2, 1",
      "1, 1",   // never zero: a waiter is at least queued once
      "0, 1",
  })
  void aRefreshWaitsAtMostHalfItsInterval(long intervalMillis, long expected) {
    assertThat(Watch.waitBudgetMillis(Duration.ofMillis(intervalMillis))).isEqualTo(expected);
  }

  @Test
  void aFreePermitIsGrantedOnTheCallersThread() {
    RefreshPermits permits = new RefreshPermits(2);
    List<String> ran = new CopyOnWriteArrayList<>();
    Thread caller = Thread.currentThread();
    permits.acquire(pool, NEVER, () -> ran.add(Thread.currentThread() == caller ? "inline" : "pool"),
        () -> ran.add("timed out"));
    assertThat(ran).containsExactly("inline");
    assertThat(permits.inUse()).isEqualTo(1);
    assertThat(permits.tryAcquire()).isTrue();
    assertThat(permits.tryAcquire()).isFalse();
  }

  @Test
  void waitersAreServedInTheOrderTheyCameAndNoNewcomerJumpsTheQueue() throws Exception {
    RefreshPermits permits = oneTakenPermit();
    List<Integer> order = new CopyOnWriteArrayList<>();
    CountDownLatch served = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      int n = i;
      permits.acquire(pool, NEVER, () -> {
        order.add(n);
        permits.release(); // before counting down: the test reads inUse once the last one counted
        served.countDown();
      }, () -> order.add(-1));
    }
    assertThat(permits.waiting()).isEqualTo(5);
    assertThat(permits.tryAcquire()).as("a free permit is not taken past the queue").isFalse();
    permits.release(); // the first waiter gets it, and each hands it on when done
    assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly(0, 1, 2, 3, 4);
    assertThat(permits.inUse()).isZero();
    assertThat(permits.waiting()).isZero();
  }

  @Test
  void aWaiterNotServedInTimeLeavesTheQueueAndIsToldOnce() throws Exception {
    RefreshPermits permits = oneTakenPermit();
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger timedOut = new AtomicInteger();
    CountDownLatch told = new CountDownLatch(1);
    permits.acquire(pool, 50, granted::incrementAndGet, () -> {
      timedOut.incrementAndGet();
      told.countDown();
    });
    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(permits.waiting()).isZero();
    permits.release(); // nobody waits any more: the permit goes back
    Thread.sleep(100);
    assertThat(granted).hasValue(0);
    assertThat(timedOut).hasValue(1);
    assertThat(permits.inUse()).isZero();
  }

  @Test
  void aWaiterServedBeforeItsTimeoutIsNotAlsoToldItTimedOut() throws Exception {
    RefreshPermits permits = oneTakenPermit();
    AtomicInteger timedOut = new AtomicInteger();
    CountDownLatch granted = new CountDownLatch(1);
    permits.acquire(pool, 200, granted::countDown, timedOut::incrementAndGet);
    permits.release();
    assertThat(granted.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(400); // past the timeout
    assertThat(timedOut).hasValue(0);
    assertThat(permits.inUse()).as("the handed-over permit is the waiter's until it releases").isEqualTo(1);
  }

  @Test
  void whenThePoolIsShuttingDownWaitersAreToldAndThePermitGoesBack() {
    RefreshPermits permits = oneTakenPermit();
    ScheduledExecutorService stopping = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger timedOut = new AtomicInteger();
    AtomicInteger granted = new AtomicInteger();
    permits.acquire(stopping, NEVER, granted::incrementAndGet, timedOut::incrementAndGet);
    stopping.shutdownNow();
    permits.release();
    assertThat(granted).hasValue(0);
    assertThat(timedOut).hasValue(1);
    assertThat(permits.inUse()).isZero();
    permits.acquire(stopping, NEVER, granted::incrementAndGet, timedOut::incrementAndGet);
    assertThat(granted).as("a free permit still runs inline").hasValue(1);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new RefreshPermits(0)).hasMessageContaining("at least 1, got 0");
  }

  /** Permits of capacity 1 whose one permit is taken, so the next acquire has to wait. */
  private static RefreshPermits oneTakenPermit() {
    RefreshPermits permits = new RefreshPermits(1);
    assertThat(permits.tryAcquire()).isTrue();
    return permits;
  }
}
