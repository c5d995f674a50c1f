package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The lag-arithmetic table of KEDA's Kafka scaler (unit-test cases of kafka_scaler.go, v2.20), written
 * once and run twice: as pure {@link LagCalculator} cases and against a real broker.
 */
final class LagCases {
  private LagCases() {}

  /** One partition: latest offset L and committed offset c (-1 = no commit). */
  record Partition(long latest, long committed) {
    static Partition noCommit(long latest) {
      return new Partition(latest, LagCalculator.NO_COMMIT);
    }
  }

  /**
   * @param metadata trigger metadata besides bootstrapServers, consumerGroup and topic
   * @param partitions partition i of the case's topic
   * @param totalLag expected reported totalLag (after the cap, negative reported as 0)
   */
  record Case(String name, Map<String, String> metadata, List<Partition> partitions, long totalLag,
      long totalLagWithPersistent, int partitionsWithLag, boolean capped, boolean active) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Map<String, String> md(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Map.copyOf(m);
  }

  private static Partition p(long latest, long committed) {
    return new Partition(latest, committed);
  }

  static List<Case> cases() {
    return List.of(
        // KEDA's unit test checks the partition's lag (50); the reported total with the default cap
        // would be 10 (50 / 10 > 1 partition), so the row lifts the cap and the next row shows it.
        new Case("1 partition, c=100, L=150, earliest -> 50 (cap lifted)",
            md("offsetResetPolicy", "earliest", "allowIdleConsumers", "true"),
            List.of(p(150, 100)), 50, 50, 1, false, true),
        new Case("1 partition, c=100, L=150, earliest, default cap -> 50/10 > 1 -> 10",
            md("offsetResetPolicy", "earliest"), List.of(p(150, 100)), 10, 50, 1, true, true),
        new Case("1 partition, no commit, L=150, latest, scaleToZeroOnInvalidOffset -> 0, inactive",
            md("scaleToZeroOnInvalidOffset", "true"), List.of(Partition.noCommit(150)), 0, 0, 0, false, false),
        new Case("3 partitions, lags 5,0,0, lagThreshold 1 -> 5/1 > 3 -> 3", md("lagThreshold", "1"),
            List.of(p(5, 0), p(0, 0), p(0, 0)), 3, 5, 1, true, true),
        new Case("3 partitions, total 39, lagThreshold 10 -> 39/10 = 3, not > 3 -> 39", md("lagThreshold", "10"),
            List.of(p(13, 0), p(13, 0), p(13, 0)), 39, 39, 3, false, true),
        new Case("same with allowIdleConsumers -> 39", md("lagThreshold", "10", "allowIdleConsumers", "true"),
            List.of(p(13, 0), p(13, 0), p(13, 0)), 39, 39, 3, false, true),
        new Case("allowIdleConsumers lifts the cap: lags 50,0,0, lagThreshold 10 -> 50",
            md("lagThreshold", "10", "allowIdleConsumers", "true"),
            List.of(p(50, 0), p(0, 0), p(0, 0)), 50, 50, 1, false, true),
        new Case("limitToPartitionsWithLag, lags 100,0,0, lagThreshold 10 -> bound 1 -> 10",
            md("lagThreshold", "10", "limitToPartitionsWithLag", "true"),
            List.of(p(100, 0), p(0, 0), p(0, 0)), 10, 100, 1, true, true),
        new Case("4 partitions, no commits, latest -> 4 (1 each)", md(),
            List.of(Partition.noCommit(3), Partition.noCommit(3), Partition.noCommit(3), Partition.noCommit(3)),
            4, 4, 4, false, true),
        new Case("4 partitions, no commits, latest, scaleToZeroOnInvalidOffset -> 0",
            md("scaleToZeroOnInvalidOffset", "true"),
            List.of(Partition.noCommit(3), Partition.noCommit(3), Partition.noCommit(3), Partition.noCommit(3)),
            0, 0, 0, false, false),
        new Case("2 partitions, no commits, L=100 each, earliest, lagThreshold 10 -> 200 capped to 20",
            md("offsetResetPolicy", "earliest", "lagThreshold", "10"),
            List.of(Partition.noCommit(100), Partition.noCommit(100)), 20, 200, 2, true, true),
        new Case("no commit, earliest, scaleToZeroOnInvalidOffset -> 0",
            md("offsetResetPolicy", "earliest", "scaleToZeroOnInvalidOffset", "true"),
            List.of(Partition.noCommit(100)), 0, 0, 0, false, false),
        new Case("c=105, L=100 -> -5 reported as 0, inactive", md(), List.of(p(100, 105)), 0, 0, 0, false, false),
        new Case("negative lag is not clamped per partition: 10 + (-5) -> 5", md(),
            List.of(p(10, 0), p(100, 105)), 5, 5, 1, false, true),
        new Case("activation is strict: lag 3, activationLagThreshold 3 -> inactive",
            md("activationLagThreshold", "3"), List.of(p(3, 0)), 3, 3, 1, false, false),
        new Case("ensureEvenDistributionOfPartitions: 10 partitions, lag 35, lagThreshold 10 -> factor 5 -> 50",
            md("lagThreshold", "10", "ensureEvenDistributionOfPartitions", "true"),
            List.of(p(35, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0), p(0, 0)),
            50, 35, 1, true, true));
  }

  static Stream<Arguments> arguments() {
    return cases().stream().map(Arguments::of);
  }

  /** KEDA's e2e activation case: 3 partitions, lagThreshold 1, activationLagThreshold 1, minReplicas 0. */
  static final Map<String, String> E2E_METADATA = md("lagThreshold", "1", "activationLagThreshold", "1");

  /**
   * messages produced so far, spread over partitions 0..2 → expected totalLag, active, replicas.
   * Replicas as KEDA + HPA (AverageValue) derive them: 0 when inactive, else ceil(totalLag / 1).
   */
  record E2eStep(int p0, int p1, int p2, long totalLag, boolean active, int replicas) {
    int messages() {
      return p0 + p1 + p2;
    }
  }

  static final List<E2eStep> E2E_STEPS = List.of(
      new E2eStep(0, 0, 0, 0, false, 0),
      new E2eStep(1, 0, 0, 1, false, 0), // 1 is not > 1: stays at 0
      new E2eStep(1, 1, 0, 2, true, 2),
      new E2eStep(3, 2, 2, 3, true, 3)); // capped at the partition count

  static int replicas(LagReading r, long lagThreshold) {
    return r.active() ? (int) Math.ceil((double) r.totalLag() / lagThreshold) : 0;
  }
}
