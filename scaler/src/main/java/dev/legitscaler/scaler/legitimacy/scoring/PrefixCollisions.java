package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Arrays;

/**
 * The distinct clients of one bucket counted per network prefix, and how often two of them share one:
 * {@code collisions / pairs} = Σ<sub>p</sub> C(m<sub>p</sub>, 2) / C(M, 2) is the probability that two
 * distinct clients drawn at random sit in the same prefix. A population spread over many networks gives
 * a small value (3000 /24 networks with Zipf 0.5 weights: 0.0007), bots rented from 20 networks 0.05,
 * whatever the clients' request rates: each client counts once, so the statistic does not need the bots
 * to carry much of the traffic, only to be a fair part of the clients that are counted.
 *
 * <p>Fixed memory: at most {@link #MAX_PREFIXES} prefixes are held. Beyond that only the prefixes whose
 * key has its top {@code level} bits zero are counted (a 2<sup>-level</sup> sample of the prefixes, the
 * same prefixes for every client since keys are hashes), and the collision count is scaled by
 * 2<sup>level</sup>, which keeps it an unbiased estimate. Keys are the non-zero prefix hashes of
 * {@link EvidenceDimensions#prefixKey}.
 */
final class PrefixCollisions {
  static final int MAX_PREFIXES = 1024;
  private static final int TABLE = 2 * MAX_PREFIXES; // open addressing, at most half full
  private static final int MASK = TABLE - 1;

  private final long[] keys = new long[TABLE];
  private final int[] counts = new int[TABLE];
  private final long[] scratchKeys = new long[MAX_PREFIXES];
  private final int[] scratchCounts = new int[MAX_PREFIXES];
  private int size;
  private int level;
  private long clients;
  private long sampledCollisions;

  /** One distinct client of the bucket, in the prefix {@code key} (non-zero). */
  void add(long key) {
    clients++;
    while (true) {
      if (!sampled(key)) {
        return;
      }
      int i = (int) ClientHash.mix(key) & MASK;
      while (keys[i] != 0) {
        if (keys[i] == key) {
          sampledCollisions += counts[i];
          counts[i]++;
          return;
        }
        i = (i + 1) & MASK;
      }
      if (size < MAX_PREFIXES) {
        keys[i] = key;
        counts[i] = 1;
        size++;
        return;
      }
      coarsen();
    }
  }

  private boolean sampled(long key) {
    return level == 0 || key >>> (64 - level) == 0;
  }

  /** Halves the sample: keeps the prefixes of the next level, recomputes their collisions. */
  private void coarsen() {
    level++;
    int kept = 0;
    for (int i = 0; i < TABLE; i++) {
      if (keys[i] != 0 && sampled(keys[i])) {
        scratchKeys[kept] = keys[i];
        scratchCounts[kept++] = counts[i];
      }
    }
    Arrays.fill(keys, 0);
    Arrays.fill(counts, 0);
    size = kept;
    sampledCollisions = 0;
    for (int j = 0; j < kept; j++) {
      int i = (int) ClientHash.mix(scratchKeys[j]) & MASK;
      while (keys[i] != 0) {
        i = (i + 1) & MASK;
      }
      keys[i] = scratchKeys[j];
      counts[i] = scratchCounts[j];
      long m = counts[i];
      sampledCollisions += m * (m - 1) / 2;
    }
  }

  /** Distinct clients added (all of them, sampled or not). */
  long clients() {
    return clients;
  }

  /** Pairs of distinct clients, C(M, 2). */
  double pairs() {
    return clients * (clients - 1) / 2.0;
  }

  /** Estimated pairs of distinct clients that share a prefix. */
  double collisions() {
    return Math.scalb((double) sampledCollisions, level);
  }

  /** How many prefixes one held prefix stands for (2<sup>level</sup>). */
  double weight() {
    return Math.scalb(1.0, level);
  }

  int tableLength() {
    return TABLE;
  }

  /** The prefix in table slot {@code i}, or 0 when the slot is empty. */
  long key(int i) {
    return keys[i];
  }

  /** Distinct clients of the prefix in table slot {@code i}. */
  int count(int i) {
    return counts[i];
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(keys, 0);
      Arrays.fill(counts, 0);
    }
    size = 0;
    level = 0;
    clients = 0;
    sampledCollisions = 0;
  }

  static long retainedBytes() {
    return 48 + TABLE * (8L + 4) + MAX_PREFIXES * (8L + 4);
  }
}
