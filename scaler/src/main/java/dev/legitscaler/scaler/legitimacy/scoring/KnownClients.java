package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * The clients the scorer has cleared: seen in calm traffic at least {@code clearAfter} ago, and not
 * forgotten yet. Bounded by construction:
 *
 * <ul>
 *   <li>Two generations of a blocked Bloom filter, each sized for {@code capacity} clients. A lookup
 *       checks both; a hit only in the older one is copied into the newer one, so returning clients
 *       stay known. The generations rotate every {@code retention / 2} (or earlier when the newer one
 *       reaches capacity), so a client unseen for {@code retention} is forgotten.</li>
 *   <li>A ring of "pending" lists, one per time bucket, holding the distinct not-yet-cleared clients
 *       first seen in that bucket (a small filter skips repeats). When the bucket is
 *       {@code clearBuckets} old and no attack was declared in the meantime, its clients are added to
 *       the newer generation: they are cleared. A
 *       declared attack discards every pending filter, so bots are never cleared while they attack,
 *       and a bucket with more new clients than {@code maxNewPerBucket} is never merged (a filter that
 *       full would make everything look known).</li>
 * </ul>
 */
final class KnownClients {
  private final long capacity;
  private final long rotateMillis;
  private final int clearBuckets;
  private final long maxNewPerBucket;
  private BlockedBloomFilter newer;
  private BlockedBloomFilter older;
  private long newerInserted;
  private long newerSinceMillis = Long.MIN_VALUE;
  // per pending bucket: a small filter to skip repeats, and the list of distinct new hashes to clear
  private final BlockedBloomFilter[] pending;
  private final long[][] pendingHashes;
  private final long[] pendingBucket;
  private final long[] pendingInserted;

  KnownClients(long capacity, long retentionMillis, int clearBuckets, long maxNewPerBucket) {
    this.capacity = capacity;
    this.rotateMillis = Math.max(1, retentionMillis / 2);
    this.clearBuckets = clearBuckets;
    this.maxNewPerBucket = maxNewPerBucket;
    newer = new BlockedBloomFilter(capacity);
    older = new BlockedBloomFilter(capacity);
    int slots = clearBuckets + 2;
    pending = new BlockedBloomFilter[slots];
    pendingHashes = new long[slots][];
    pendingBucket = new long[slots];
    pendingInserted = new long[slots];
    for (int i = 0; i < slots; i++) {
      pending[i] = new BlockedBloomFilter(maxNewPerBucket);
      pendingHashes[i] = new long[(int) maxNewPerBucket];
      pendingBucket[i] = Long.MIN_VALUE;
    }
  }

  /** True when the client is cleared; refreshes a client found only in the older generation. */
  boolean isCleared(long hash) {
    if (newer.mightContain(hash)) {
      return true;
    }
    if (older.mightContain(hash)) {
      if (newer.add(hash)) {
        newerInserted++;
      }
      return true;
    }
    return false;
  }

  /** Lookup without side effects (for evaluation). */
  boolean peekCleared(long hash) {
    return newer.mightContain(hash) || older.mightContain(hash);
  }

  /** Remembers a not-yet-cleared client first seen (in this stretch of calm) in {@code bucket}. */
  void notePending(long hash, long bucket) {
    int slot = (int) Math.floorMod(bucket, (long) pending.length);
    if (pendingBucket[slot] != bucket) {
      pending[slot].clear();
      pendingBucket[slot] = bucket;
      pendingInserted[slot] = 0;
    }
    if (pending[slot].add(hash)) {
      long n = pendingInserted[slot]++;
      if (n < pendingHashes[slot].length) {
        pendingHashes[slot][(int) n] = hash;
      }
    }
  }

  /**
   * Called once per closed bucket, after its evaluation.
   *
   * @param closedBucket index of the bucket that just closed
   * @param calm false when an attack is declared or still held: pending clients are then discarded
   * @param bucketEndMillis end of the closed bucket, drives the generation rotation
   */
  void onBucketClosed(long closedBucket, boolean calm, long bucketEndMillis) {
    if (newerSinceMillis == Long.MIN_VALUE) {
      newerSinceMillis = bucketEndMillis;
    }
    if (bucketEndMillis - newerSinceMillis >= rotateMillis || newerInserted >= capacity) {
      rotate(bucketEndMillis);
    }
    if (!calm) {
      for (int i = 0; i < pending.length; i++) {
        if (pendingBucket[i] != Long.MIN_VALUE) {
          pending[i].clear();
          pendingBucket[i] = Long.MIN_VALUE;
          pendingInserted[i] = 0;
        }
      }
      return;
    }
    long ripe = closedBucket - clearBuckets;
    int slot = (int) Math.floorMod(ripe, (long) pending.length);
    if (pendingBucket[slot] == ripe) {
      if (pendingInserted[slot] <= maxNewPerBucket) {
        long[] hashes = pendingHashes[slot];
        for (int i = 0; i < pendingInserted[slot]; i++) {
          if (newer.add(hashes[i])) {
            newerInserted++;
          }
        }
      }
      pending[slot].clear();
      pendingBucket[slot] = Long.MIN_VALUE;
      pendingInserted[slot] = 0;
    }
  }

  private void rotate(long nowMillis) {
    BlockedBloomFilter recycled = older;
    older = newer;
    recycled.clear();
    newer = recycled;
    newerInserted = 0;
    newerSinceMillis = nowMillis;
  }

  long retainedBytes() {
    long b = newer.retainedBytes() + older.retainedBytes();
    for (int i = 0; i < pending.length; i++) {
      b += pending[i].retainedBytes() + pendingHashes[i].length * 8L;
    }
    return b + pending.length * 16L;
  }
}
