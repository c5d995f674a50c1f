package dev.legitscaler.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

  /** Offsets handed out in order, then served in the given order; the committable position after each. */
  private record Case(String name, long[] handed, long[] served, List<Long> committableAfterEach) {}

  @Test
  void theCommittablePositionIsTheOldestUnservedOffset() {
    List<Case> cases = List.of(
        new Case("in order", new long[] {0, 1, 2}, new long[] {0, 1, 2}, List.of(1L, 2L, 3L)),
        new Case("out of order", new long[] {0, 1, 2}, new long[] {2, 1, 0}, List.of(0L, 0L, 3L)),
        new Case("a slow one holds the rest", new long[] {5, 6, 7, 8}, new long[] {6, 7, 8, 5},
            List.of(5L, 5L, 5L, 9L)),
        new Case("gaps (compacted or aborted offsets)", new long[] {10, 12, 15}, new long[] {10, 15, 12},
            List.of(12L, 12L, 16L)));
    for (Case c : cases) {
      PartitionProgress p = new PartitionProgress();
      assertThat(p.committable()).as(c.name() + ": nothing handed out").isEqualTo(-1);
      for (long o : c.handed()) {
        p.handedOut(o);
      }
      assertThat(p.committable()).as(c.name() + ": nothing served").isEqualTo(c.handed()[0]);
      for (int i = 0; i < c.served().length; i++) {
        p.served(c.served()[i]);
        assertThat(p.committable()).as(c.name() + " after serving " + c.served()[i]).isEqualTo(c.committableAfterEach().get(i));
      }
      assertThat(p.unserved()).isZero();
    }
  }

  @Test
  void aPositionIsReportedAsMovedOnlyOnce() {
    PartitionProgress p = new PartitionProgress();
    assertThat(p.committableIfMoved()).isEqualTo(-1);
    p.handedOut(0);
    p.handedOut(1);
    assertThat(p.committableIfMoved()).isZero();
    assertThat(p.committableIfMoved()).isEqualTo(-1);
    p.served(1);
    assertThat(p.committableIfMoved()).isEqualTo(-1);
    p.served(0);
    assertThat(p.committableIfMoved()).isEqualTo(2);
    assertThat(p.committableIfMoved()).isEqualTo(-1);
  }

  @Test
  void waitingForAllServedReturnsOnceTheLastIsServed() throws Exception {
    PartitionProgress p = new PartitionProgress();
    p.handedOut(3);
    assertThat(p.awaitAllServed(System.nanoTime() + 1_000_000)).isFalse();
    Thread t = new Thread(() -> p.served(3));
    t.start();
    assertThat(p.awaitAllServed(System.nanoTime() + 30_000_000_000L)).isTrue();
    t.join();
  }
}
