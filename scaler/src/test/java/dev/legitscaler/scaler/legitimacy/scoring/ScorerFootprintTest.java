package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The footprint is computed without allocating, and matches what a built scorer retains. */
class ScorerFootprintTest {
  private static final long MIB = 1 << 20;

  static ScorerParameters params(long capacity, Duration bucket, Duration clearAfter, int windowBuckets) {
    ScorerParameters d = ScorerParameters.defaults().withKnownClientsCapacity(capacity).withBucket(bucket);
    return new ScorerParameters(d.bucket(), windowBuckets, clearAfter, d.attackHold(), d.warmup(),
        d.baselineHalfLife(), d.knownClientsCapacity(), d.knownClientsRetention(), d.maxNewClientsPerBucket(),
        d.heavyHitterSlots(), d.sampleCapacity(), d.historyCapacity(), d.heavyRateFactor(), d.madMultiplier(),
        d.minHeavyCount(), d.ownHistoryFactor(), d.minHistoryWindows(), d.surgeFactor(), d.heavyShareThreshold(),
        d.newShareThreshold(), d.newClientRateFactor(), d.entropyDrop(), d.invalidShareThreshold(),
        d.invalidTolerance(), d.minAgreeingSignals(), d.minAttackShare(), d.flashCrowdMaxSuspectShare(),
        d.minWindowRequests(), d.maxFlaggedClients());
  }

  /** capacity, bucket, clearAfter, windowBuckets -> expected total MiB (rounded down), dominant part. */
  static Stream<Arguments> table() {
    return Stream.of(
        // defaults: 2 x 2 MiB known clients, 8 pending lists of ~1 MiB, 3 buckets + labels ~4.4 MiB
        Arguments.of(1_000_000L, "5s", "30s", 2, 17, "pending"),
        // the 20,000,000 known clients: 2 x 64 MiB Bloom generations
        Arguments.of(20_000_000L, "5s", "30s", 2, 141, "knownClients"),
        // clearAfter 30m with 1s buckets: 1,802 pending lists
        Arguments.of(1_000_000L, "1s", "30m", 2, 1834, "pending"),
        // clearAfter 30m alone (5s buckets): 362 pending lists
        Arguments.of(1_000_000L, "5s", "30m", 2, 376, "pending"),
        // 12 window buckets: 13 buckets' samples and labels dominate
        Arguments.of(10_000L, "60s", "5s", 12, 23, "buckets"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void estimateFromConfig(long capacity, String bucket, String clearAfter, int windowBuckets, long expectedMib,
      String dominant) {
    ScorerParameters p = params(capacity, dev.legitscaler.scaler.config.Durations.parse(bucket).orElseThrow(),
        dev.legitscaler.scaler.config.Durations.parse(clearAfter).orElseThrow(), windowBuckets);
    ScorerFootprint f = ScorerFootprint.of(p);
    assertThat(f.totalBytes() / MIB).isEqualTo(expectedMib);
    assertThat(f.dominantPart()).isEqualTo(dominant);
  }

  static Stream<Arguments> buildable() {
    return Stream.of(
        Arguments.of(10_000L, Duration.ofSeconds(5), Duration.ofSeconds(30), 2),
        Arguments.of(1_000_000L, Duration.ofSeconds(5), Duration.ofSeconds(30), 2),
        Arguments.of(123_457L, Duration.ofSeconds(1), Duration.ofSeconds(7), 12),
        Arguments.of(50_000L, Duration.ofSeconds(60), Duration.ofSeconds(5), 1));
  }

  @ParameterizedTest
  @MethodSource("buildable")
  void estimateEqualsWhatTheBuiltScorerRetains(long capacity, Duration bucket, Duration clearAfter, int windows) {
    ScorerParameters p = params(capacity, bucket, clearAfter, windows);
    TrafficScorer built = new TrafficScorer(p);
    assertThat(ScorerFootprint.of(p).retainedBytes()).isEqualTo(built.retainedBytes());
    assertThat(ScorerFootprint.of(p).labelBytes()).isEqualTo(built.maxLabelBytes());
  }
}
