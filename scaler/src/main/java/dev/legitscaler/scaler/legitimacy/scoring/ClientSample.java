package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * Adaptive distinct sampling (Gibbons, 2001) of the clients of one time bucket: a client is kept when
 * the top {@code level} bits of its hash are zero, i.e. with probability 2^-level, and with it its exact
 * count in the bucket. When the table fills, the level goes up and half the entries go. The sample is
 * uniform over clients (not over records), which is what per-client rate statistics (median, MAD) and
 * the distinct count ({@code size * 2^level}) need, in fixed memory whatever the number of clients.
 */
final class ClientSample {
  private final int capacity;
  private final long[] keys;
  private final int[] counts;
  private final int[] invalid;
  private final boolean[] uncleared;
  private final String[] labels;
  private final LongIntMap index;
  private int size;
  private int level;

  ClientSample(int capacity) {
    this.capacity = capacity;
    keys = new long[capacity];
    counts = new int[capacity];
    invalid = new int[capacity];
    uncleared = new boolean[capacity];
    labels = new String[capacity];
    index = new LongIntMap(capacity);
  }

  static boolean accepted(long hash, int level) {
    return level == 0 || (hash >>> (64 - level)) == 0;
  }

  void offer(long hash, String label, boolean isUncleared, boolean valid) {
    if (!accepted(hash, level)) {
      return;
    }
    long key = LongIntMap.nonZero(hash);
    int slot = index.get(key);
    if (slot >= 0) {
      counts[slot]++;
      if (!valid) {
        invalid[slot]++;
      }
      return;
    }
    keys[size] = key;
    counts[size] = 1;
    invalid[size] = valid ? 0 : 1;
    uncleared[size] = isUncleared;
    labels[size] = label;
    index.put(key, size);
    size++;
    while (size >= capacity && level < 63) {
      raiseLevel();
    }
  }

  private void raiseLevel() {
    level++;
    index.clear();
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (accepted(keys[i], level)) {
        keys[kept] = keys[i];
        counts[kept] = counts[i];
        invalid[kept] = invalid[i];
        uncleared[kept] = uncleared[i];
        labels[kept] = labels[i];
        index.put(keys[kept], kept);
        kept++;
      }
    }
    for (int i = kept; i < size; i++) {
      labels[i] = null;
    }
    size = kept;
  }

  int size() {
    return size;
  }

  int level() {
    return level;
  }

  long key(int i) {
    return keys[i];
  }

  int count(int i) {
    return counts[i];
  }

  int invalid(int i) {
    return invalid[i];
  }

  boolean uncleared(int i) {
    return uncleared[i];
  }

  String label(int i) {
    return labels[i];
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      labels[i] = null;
    }
    size = 0;
    level = 0;
    index.clear();
  }

  long retainedBytes() {
    return capacity * (8L + 4 + 4 + 1 + 8) + index.retainedBytes();
  }
}
