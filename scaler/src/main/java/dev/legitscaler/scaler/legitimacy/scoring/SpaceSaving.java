package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * Space-Saving top-k heavy hitters (Metwally et al., 2005) over one time bucket. Any client with more
 * than {@code total / k} records is guaranteed to be present; {@code count - error} is a guaranteed
 * lower bound of its true count, {@code count} an upper bound. A min-heap over the counts finds the
 * slot to recycle in O(log k); a hash index finds a client's slot in O(1).
 */
final class SpaceSaving {
  private final int k;
  private final long[] keys;
  private final long[] counts;
  private final long[] errors;
  private final String[] labels;
  private final int[] heap; // slot ids, min count at the root
  private final int[] heapPos; // slot id -> heap index
  private final LongIntMap index;
  private int size;

  SpaceSaving(int k) {
    this.k = k;
    keys = new long[k];
    counts = new long[k];
    errors = new long[k];
    labels = new String[k];
    heap = new int[k];
    heapPos = new int[k];
    index = new LongIntMap(k);
  }

  void offer(long hash, String label) {
    long key = LongIntMap.nonZero(hash);
    int slot = index.get(key);
    if (slot >= 0) {
      counts[slot]++;
      siftDown(heapPos[slot]);
      return;
    }
    if (size < k) {
      slot = size++;
      keys[slot] = key;
      counts[slot] = 1;
      errors[slot] = 0;
      labels[slot] = label;
      heap[slot] = slot;
      heapPos[slot] = slot;
      index.put(key, slot);
      siftUp(slot);
      return;
    }
    // recycle the smallest counter: the newcomer inherits its count as error
    slot = heap[0];
    index.remove(keys[slot]);
    keys[slot] = key;
    errors[slot] = counts[slot];
    counts[slot]++;
    labels[slot] = label;
    index.put(key, slot);
    siftDown(0);
  }

  int size() {
    return size;
  }

  /** The smallest counter when full (the most any absent client can have), else 0. */
  long floor() {
    return size < k ? 0 : counts[heap[0]];
  }

  long key(int slot) {
    return keys[slot];
  }

  long count(int slot) {
    return counts[slot];
  }

  long error(int slot) {
    return errors[slot];
  }

  String label(int slot) {
    return labels[slot];
  }

  /** Slot of {@code hash}, or -1. */
  int slotOf(long hash) {
    return index.get(LongIntMap.nonZero(hash));
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      labels[i] = null;
    }
    size = 0;
    index.clear();
  }

  long retainedBytes() {
    return k * (8L * 3 + 8 + 4 * 2) + index.retainedBytes();
  }

  private void siftUp(int i) {
    int slot = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int ps = heap[parent];
      if (counts[ps] <= counts[slot]) {
        break;
      }
      heap[i] = ps;
      heapPos[ps] = i;
      i = parent;
    }
    heap[i] = slot;
    heapPos[slot] = i;
  }

  private void siftDown(int i) {
    int slot = heap[i];
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        break;
      }
      int right = left + 1;
      int child = right < size && counts[heap[right]] < counts[heap[left]] ? right : left;
      int cs = heap[child];
      if (counts[cs] >= counts[slot]) {
        break;
      }
      heap[i] = cs;
      heapPos[cs] = i;
      i = child;
    }
    heap[i] = slot;
    heapPos[slot] = i;
  }
}
