package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Arrays;

/**
 * Open-addressing map from a client hash to a small slot number, fixed capacity, no boxing. Linear
 * probing with backward-shift deletion, so removals leave no tombstones and lookups stay short.
 * Key 0 is reserved as "empty"; callers map hash 0 to 1 (a negligible extra collision).
 */
final class LongIntMap {
  private final long[] keys;
  private final int[] values;
  private final int mask;
  private int size;

  /** @param maxEntries the most entries ever held; the table is sized to stay at most half full */
  LongIntMap(int maxEntries) {
    int cap = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
    keys = new long[cap];
    values = new int[cap];
    mask = cap - 1;
  }

  static long nonZero(long key) {
    return key == 0 ? 1 : key;
  }

  int size() {
    return size;
  }

  int tableLength() {
    return keys.length;
  }

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int i = (int) ClientHash.mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  void put(long key, int value) {
    int i = (int) ClientHash.mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  void remove(long key) {
    int i = (int) ClientHash.mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == 0) {
        return;
      }
      if (k == key) {
        break;
      }
      i = (i + 1) & mask;
    }
    // backward-shift: pull later members of the probe run into the hole
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long k = keys[j];
      if (k == 0) {
        break;
      }
      int home = (int) ClientHash.mix(k) & mask;
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = k;
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = 0;
    size--;
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(keys, 0);
      size = 0;
    }
  }

  long retainedBytes() {
    return keys.length * 8L + values.length * 4L;
  }
}
