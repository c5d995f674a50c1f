package dev.legitscaler.scaler.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SpreadTest {
  record Row(int total, int groups, int[] expectedHead, int expectedLast) {}

  @Test
  void zipfSpreadSumsToTheTotalLargestFirstAndEveryNamespaceHasOne() {
    Row[] rows = {
        new Row(1, 1, new int[] {1}, 1),
        new Row(200, 1, new int[] {200}, 200),
        new Row(10, 10, new int[] {1, 1, 1}, 1),
        new Row(11, 2, new int[] {8, 3}, 3),
        new Row(10_000, 100, new int[] {1928, 964, 643, 482}, 19),
    };
    for (Row r : rows) {
      int[] n = BenchCommand.Spread.zipf(r.total(), r.groups());
      assertEquals(r.groups(), n.length, "groups of " + r);
      assertEquals(r.total(), Arrays.stream(n).sum(), "sum of " + r);
      assertArrayEquals(r.expectedHead(), Arrays.copyOf(n, r.expectedHead().length), "head of " + Arrays.toString(n));
      assertEquals(r.expectedLast(), n[n.length - 1], "last of " + r);
      for (int k = 1; k < n.length; k++) {
        assertEquals(true, n[k] <= n[k - 1] && n[k] >= 1, "ordered and ≥ 1 at " + k + ": " + Arrays.toString(n));
      }
    }
  }

  @Test
  void fewerScaledObjectsThanNamespacesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BenchCommand.Spread.zipf(5, 10));
  }
}
