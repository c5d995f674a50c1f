package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * The heap a {@link TrafficScorer} preallocates for given parameters, computed without allocating
 * anything: the same sizing arithmetic as the sketches' constructors. The server checks it against
 * its memory budget before a trigger is watched, so an accepted value cannot exhaust the heap.
 *
 * @param knownClientsBytes the two known-clients Bloom generations ({@code knownClientsCapacity})
 * @param pendingBytes one pending filter and hash list per bucket of {@code clearAfter / bucket}
 * @param bucketBytes heavy hitters and distinct sample of the window's buckets ({@code windowBuckets})
 * @param labelBytes client-id strings the buckets may reference (upper bound)
 * @param historyBytes the heavy clients' own histories
 * @param dimensionBytes the evidence dimensions' fixed baselines (per-bucket parts are in bucketBytes) and
 *     the hour-of-day baseline's 24 slots
 */
public record ScorerFootprint(long knownClientsBytes, long pendingBytes, long bucketBytes, long labelBytes,
    long historyBytes, long dimensionBytes) {

  /** Per-entry cost of the own-history map (entry, boxed key, record), as TrafficScorer counts it. */
  private static final long HISTORY_ENTRY_BYTES = 96;

  public static ScorerFootprint of(ScorerParameters p) {
    long known = 2 * bloomBytes(p.knownClientsCapacity());
    long slots = p.clearBuckets() + 2L;
    long pending = slots * (bloomBytes(p.maxNewClientsPerBucket()) + p.maxNewClientsPerBucket() * 8L + 16);
    long buckets = (p.windowBuckets() + 1L) * bucketBytes(p.heavyHitterSlots(), p.sampleCapacity());
    long labels = (p.windowBuckets() + 1L) * (p.heavyHitterSlots() + p.sampleCapacity())
        * (40 + 2L * TrafficScorer.MAX_LABEL_CHARS);
    return new ScorerFootprint(known, pending, buckets, labels, p.historyCapacity() * HISTORY_ENTRY_BYTES,
        EvidenceDimensions.FIXED_BYTES + HourOfDayBaseline.BYTES);
  }

  public long totalBytes() {
    return knownClientsBytes + pendingBytes + bucketBytes + labelBytes + historyBytes + dimensionBytes;
  }

  /** What {@link TrafficScorer#retainedBytes()} reports once built (everything but the labels). */
  public long retainedBytes() {
    return knownClientsBytes + pendingBytes + bucketBytes + historyBytes + dimensionBytes;
  }

  /** Which part dominates: {@code knownClients}, {@code pending} or {@code buckets}. */
  public String dominantPart() {
    long other = bucketBytes + labelBytes + dimensionBytes;
    if (knownClientsBytes >= pendingBytes && knownClientsBytes >= other) {
      return "knownClients";
    }
    return pendingBytes >= other ? "pending" : "buckets";
  }

  static long bloomBytes(long capacity) {
    long wanted = Math.max(64, capacity * 16 / 64);
    long words = Math.min(1L << 30, Long.highestOneBit(wanted - 1) << 1);
    return words * 8;
  }

  static long longIntMapBytes(int maxEntries) {
    long cap = (long) Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
    return cap * 12;
  }

  static long bucketBytes(int heavySlots, int sampleCapacity) {
    long heavy = spaceSavingBytes(heavySlots);
    long sample = sampleCapacity * (8L + 4 + 4 + 1 + 8) + longIntMapBytes(sampleCapacity);
    return 32 + heavy + sample + dimensionBucketBytes();
  }

  static long spaceSavingBytes(int slots) {
    return slots * (8L * 3 + 8 + 4 * 2) + longIntMapBytes(slots);
  }

  /**
   * A bucket's evidence-dimension part: two prefix heavy-hitter sketches, two distinct-client prefix
   * tables with the bitset of clients already counted, and fixed histograms.
   */
  static long dimensionBucketBytes() {
    return 64 + 2 * spaceSavingBytes(DimensionBucket.PREFIX_SLOTS)
        + 2 * PrefixCollisions.retainedBytes() + 8L * DimensionBucket.SEEN_WORDS
        + 4L * DimensionBucket.ATTRIBUTES * DimensionParameters.ATTRIBUTE_BINS
        // feature bins of all records and of the records of clients not yet cleared
        + 2 * 4L * DimensionParameters.MAX_FEATURES * DimensionParameters.FEATURE_BINS;
  }
}
