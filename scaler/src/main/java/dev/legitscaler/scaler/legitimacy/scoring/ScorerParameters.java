package dev.legitscaler.scaler.legitimacy.scoring;

import java.time.Duration;

/**
 * Every tunable of the scorer, with the defaults documented (and argued) in docs/legitimacy.md.
 *
 * @param bucket time bucket; all state changes happen when a bucket closes
 * @param windowBuckets buckets in the judged window (window = bucket x windowBuckets)
 * @param clearAfter a new client is cleared (counted as known) after this much calm time
 * @param attackHold after the last window declared an attack, learning stays frozen this long
 * @param warmup no attack is declared before this much traffic time has been seen
 * @param baselineHalfLife half-life of the EWMA baselines (rate, shares, per-client statistics)
 * @param knownClientsCapacity clients each known-clients generation is sized for
 * @param knownClientsRetention a client unseen this long is forgotten
 * @param maxNewClientsPerBucket a bucket with more new clients than this is never cleared wholesale
 * @param heavyHitterSlots Space-Saving counters per bucket
 * @param sampleCapacity distinct-sample entries per bucket
 * @param historyCapacity heavy clients whose own history is remembered
 * @param heavyRateFactor a client is fast above this multiple of the population's median rate
 * @param madMultiplier ... or above median + this many robust standard deviations (1.4826 x MAD)
 * @param minHeavyCount ... and never below this many records per window
 * @param ownHistoryFactor a fast client within this multiple of its own usual rate is excused
 * @param minHistoryWindows windows of history before a client's own history counts
 * @param surgeFactor RATE_SURGE when the window rate is this multiple of the baseline rate
 * @param heavyShareThreshold HEAVY_HITTERS when fast clients' excess is this share of the traffic
 * @param newShareThreshold NEW_CLIENTS when the new-client share exceeds its baseline by this much
 * @param newClientRateFactor FAST_NEW_CLIENTS when new clients' median rate is this multiple of the
 *     population's
 * @param entropyDrop LOW_ENTROPY when normalised entropy falls this far below its baseline
 * @param invalidShareThreshold INVALID_REQUESTS when invalid excess is this share of the traffic
 * @param invalidTolerance invalid share above baseline tolerated before counting as excess
 * @param minAgreeingSignals aggregate signals that must agree for an attack
 * @param minAttackShare an attack must account for at least this share of the traffic
 * @param flashCrowdMaxSuspectShare growth with less suspect traffic than this is a flash crowd
 * @param minWindowRequests windows with fewer records are not judged
 * @param maxFlaggedClients clients listed in a reading
 */
public record ScorerParameters(
    Duration bucket,
    int windowBuckets,
    Duration clearAfter,
    Duration attackHold,
    Duration warmup,
    Duration baselineHalfLife,
    long knownClientsCapacity,
    Duration knownClientsRetention,
    long maxNewClientsPerBucket,
    int heavyHitterSlots,
    int sampleCapacity,
    int historyCapacity,
    double heavyRateFactor,
    double madMultiplier,
    int minHeavyCount,
    double ownHistoryFactor,
    int minHistoryWindows,
    double surgeFactor,
    double heavyShareThreshold,
    double newShareThreshold,
    double newClientRateFactor,
    double entropyDrop,
    double invalidShareThreshold,
    double invalidTolerance,
    int minAgreeingSignals,
    double minAttackShare,
    double flashCrowdMaxSuspectShare,
    int minWindowRequests,
    int maxFlaggedClients) {

  public ScorerParameters {
    if (bucket.toMillis() < 100) {
      throw new IllegalArgumentException("bucket must be at least 100ms");
    }
    if (windowBuckets < 1 || heavyHitterSlots < 8 || sampleCapacity < 64 || historyCapacity < 1) {
      throw new IllegalArgumentException("windowBuckets >= 1, heavyHitterSlots >= 8, sampleCapacity >= 64");
    }
    if (minAgreeingSignals < 1 || knownClientsCapacity < 1000) {
      throw new IllegalArgumentException("minAgreeingSignals >= 1, knownClientsCapacity >= 1000");
    }
  }

  public static ScorerParameters defaults() {
    return new ScorerParameters(
        Duration.ofSeconds(5), 2, Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(60),
        Duration.ofMinutes(10), 1_000_000, Duration.ofHours(1), 100_000, 128, 4096, 1024,
        4.0, 6.0, 4, 2.0, 60,
        1.5, 0.10, 0.20, 2.0, 0.10, 0.05, 0.02,
        2, 0.05, 0.10, 20, 10);
  }

  public long bucketMillis() {
    return bucket.toMillis();
  }

  public long windowMillis() {
    return bucket.toMillis() * windowBuckets;
  }

  int clearBuckets() {
    return (int) Math.max(1, (clearAfter.toMillis() + bucketMillis() - 1) / bucketMillis());
  }

  int holdBuckets() {
    return (int) ((attackHold.toMillis() + bucketMillis() - 1) / bucketMillis());
  }

  int warmupBuckets() {
    return (int) Math.max(windowBuckets, (warmup.toMillis() + bucketMillis() - 1) / bucketMillis());
  }

  /** EWMA weight of one window's value, from the half-life in buckets. */
  double baselineAlpha() {
    double halfLifeBuckets = Math.max(1.0, baselineHalfLife.toMillis() / (double) bucketMillis());
    return 1 - Math.pow(0.5, 1 / halfLifeBuckets);
  }

  public ScorerParameters withBucket(Duration b) {
    return new ScorerParameters(b, windowBuckets, clearAfter, attackHold, warmup, baselineHalfLife,
        knownClientsCapacity, knownClientsRetention, maxNewClientsPerBucket, heavyHitterSlots, sampleCapacity,
        historyCapacity, heavyRateFactor, madMultiplier, minHeavyCount, ownHistoryFactor, minHistoryWindows,
        surgeFactor, heavyShareThreshold, newShareThreshold, newClientRateFactor, entropyDrop,
        invalidShareThreshold, invalidTolerance, minAgreeingSignals, minAttackShare, flashCrowdMaxSuspectShare,
        minWindowRequests, maxFlaggedClients);
  }

  public ScorerParameters withKnownClientsCapacity(long capacity) {
    return new ScorerParameters(bucket, windowBuckets, clearAfter, attackHold, warmup, baselineHalfLife,
        capacity, knownClientsRetention, maxNewClientsPerBucket, heavyHitterSlots, sampleCapacity,
        historyCapacity, heavyRateFactor, madMultiplier, minHeavyCount, ownHistoryFactor, minHistoryWindows,
        surgeFactor, heavyShareThreshold, newShareThreshold, newClientRateFactor, entropyDrop,
        invalidShareThreshold, invalidTolerance, minAgreeingSignals, minAttackShare, flashCrowdMaxSuspectShare,
        minWindowRequests, maxFlaggedClients);
  }
}
