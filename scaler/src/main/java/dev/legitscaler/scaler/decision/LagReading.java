package dev.legitscaler.scaler.decision;

import java.util.List;

/**
 * One lag refresh, with KEDA's Kafka scaler semantics already applied.
 *
 * @param totalLag lag after KEDA's cap (what KEDA would report as the metric); a negative total is 0
 * @param totalLagWithPersistent lag including persistent lag (what KEDA uses for activity); >= 0
 * @param partitions partitions in the latest-offset answer (KEDA's P)
 * @param partitionsWithLag partitions with lag > 0
 * @param capped true when the cap (upperBound × lagThreshold), or the rounding of
 *     ensureEvenDistributionOfPartitions, replaced the raw total
 * @param active totalLagWithPersistent > activationLagThreshold
 * @param partitionLags per-partition detail for Explain (may be truncated to the largest lags)
 * @param committedTotal sum of the committed offsets over every partition of the reading, or -1 when a
 *     partition has no commit: two readings' difference is what the consumers took in between
 */
public record LagReading(
    long totalLag,
    long totalLagWithPersistent,
    int partitions,
    int partitionsWithLag,
    boolean capped,
    boolean active,
    List<PartitionLag> partitionLags,
    long committedTotal) {

  public LagReading {
    partitionLags = List.copyOf(partitionLags);
  }

  /** A reading without the committed offsets' sum. */
  public LagReading(long totalLag, long totalLagWithPersistent, int partitions, int partitionsWithLag,
      boolean capped, boolean active, List<PartitionLag> partitionLags) {
    this(totalLag, totalLagWithPersistent, partitions, partitionsWithLag, capped, active, partitionLags, -1);
  }

  /** committed = -1 when the group has no commit for the partition. */
  public record PartitionLag(String topic, int partition, long committed, long latest, long lag) {}
}
