package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Arrays;

/**
 * A Bloom filter whose bits for one key all live in one 64-bit word: one memory access per lookup,
 * which keeps the per-record cost far below a microsecond. Sized at 16 bits per expected key with 6
 * bits set per key, its false-positive rate stays near 0.2 % at capacity. Two filters of the same
 * size can be merged with {@link #orFrom}.
 */
final class BlockedBloomFilter {
  private static final int BITS_PER_KEY = 16;
  private final long[] words;
  private final int mask;

  BlockedBloomFilter(long capacity) {
    long wanted = Math.max(64, capacity * BITS_PER_KEY / 64);
    int n = (int) Math.min(1 << 30, Long.highestOneBit(wanted - 1) << 1);
    words = new long[n];
    mask = n - 1;
  }

  private static long pattern(long hash) {
    long h = ClientHash.mix(hash ^ 0x9e3779b97f4a7c15L);
    long p = 0;
    for (int i = 0; i < 6; i++) {
      p |= 1L << ((h >>> (i * 6)) & 63);
    }
    return p;
  }

  private int index(long hash) {
    return (int) (hash >>> 34) & mask;
  }

  boolean mightContain(long hash) {
    long p = pattern(hash);
    return (words[index(hash)] & p) == p;
  }

  /** Adds the key; returns true when it was not (apparently) there before. */
  boolean add(long hash) {
    long p = pattern(hash);
    int i = index(hash);
    long before = words[i];
    words[i] = before | p;
    return (before & p) != p;
  }

  void orFrom(BlockedBloomFilter other) {
    if (other.words.length != words.length) {
      throw new IllegalArgumentException("filters differ in size");
    }
    for (int i = 0; i < words.length; i++) {
      words[i] |= other.words[i];
    }
  }

  void clear() {
    Arrays.fill(words, 0);
  }

  long retainedBytes() {
    return words.length * 8L;
  }
}
