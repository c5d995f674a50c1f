package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig.OffsetResetPolicy;
import dev.legitscaler.scaler.decision.LagReading.PartitionLag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * KEDA's Kafka lag arithmetic (kafka_scaler.go getLagForPartition/getTotalLag, v2.20) as a pure function:
 * offsets in, reading out. No I/O, no clock, no hidden state: the excludePersistentLag memory goes in
 * and comes out explicitly, so every rule can be table-tested without a broker.
 */
public final class LagCalculator {
  /** Committed offset of a partition without a commit (KEDA's invalidOffset). */
  public static final long NO_COMMIT = -1;

  /** Per-partition detail kept in a reading: the largest lags, enough for Explain. */
  public static final int DETAIL_LIMIT = 20;

  private static final Comparator<PartitionLag> LARGEST_LAG_FIRST = Comparator
      .comparingLong(PartitionLag::lag).reversed()
      .thenComparing(PartitionLag::topic)
      .thenComparingInt(PartitionLag::partition);

  private LagCalculator() {}

  /**
   * @param reading the lag with KEDA's semantics applied
   * @param committedSeen the excludePersistentLag memory to pass to the next calculation
   */
  public record Result(LagReading reading, Map<TopicPartition, Long> committedSeen) {
    public Result {
      committedSeen = Map.copyOf(committedSeen);
    }
  }

  /**
   * @param config the trigger's settings
   * @param committed the group's committed offset per partition; {@link #NO_COMMIT} (or absent) when none
   * @param latest the latest offset (high watermark) per selected partition, as answered by the broker;
   *     its key set is KEDA's P: a partition missing here counts neither lag nor towards the cap
   * @param previousCommitted the {@link Result#committedSeen()} of the previous calculation (empty on
   *     the first one); only read with excludePersistentLag
   */
  public static Result calculate(KafkaLagConfig config, Map<TopicPartition, Long> committed,
      Map<TopicPartition, Long> latest, Map<TopicPartition, Long> previousCommitted) {
    Map<TopicPartition, Long> seen = new HashMap<>(previousCommitted);
    long totalLag = 0;
    long totalLagWithPersistent = 0;
    int partitionsWithLag = 0;
    long committedTotal = 0;
    List<PartitionLag> detail = new ArrayList<>(latest.size());

    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      TopicPartition tp = e.getKey();
      long latestOffset = e.getValue();
      long c = committed.getOrDefault(tp, NO_COMMIT);
      committedTotal = c == NO_COMMIT || committedTotal < 0 ? -1 : committedTotal + c;
      long lag;
      long lagWithPersistent;
      if (c == NO_COMMIT) {
        // No commit yet. latest: count 1 so a consumer gets started and commits; earliest: the whole
        // partition is backlog. scaleToZeroOnInvalidOffset turns both into 0 (KEDA issue 2612).
        if (config.scaleToZeroOnInvalidOffset()) {
          lag = 0;
        } else if (config.offsetResetPolicy() == OffsetResetPolicy.LATEST) {
          lag = 1;
        } else {
          lag = latestOffset;
        }
        lagWithPersistent = lag;
      } else {
        lag = latestOffset - c; // not clamped: a commit ahead of the high watermark makes it negative
        lagWithPersistent = lag;
        if (config.excludePersistentLag()) {
          Long previous = previousCommitted.get(tp);
          if (previous != null && previous == c) {
            // The consumer is stuck on this offset (e.g. a poison message): adding replicas cannot
            // help, so it does not count for scaling, but it still keeps the target active.
            lag = 0;
          } else {
            seen.put(tp, c);
          }
        }
      }
      totalLag += lag;
      totalLagWithPersistent += lagWithPersistent;
      if (lag > 0) {
        partitionsWithLag++;
      }
      detail.add(new PartitionLag(tp.topic(), tp.partition(), c, latestOffset, lag));
    }

    int partitions = latest.size();
    long reported = totalLag;
    long threshold = config.lagThreshold();
    if (!config.allowIdleConsumers() || config.limitToPartitionsWithLag()
        || config.ensureEvenDistributionOfPartitions()) {
      // More replicas than partitions would sit idle: cap at P (or at the partitions with lag).
      long upperBound = partitions;
      if (config.ensureEvenDistributionOfPartitions()) {
        reported = nextFactorBalancingPartitions(reported, partitions, threshold) * threshold;
      }
      if (config.limitToPartitionsWithLag()) {
        upperBound = partitionsWithLag;
      }
      if (reported / threshold > upperBound) { // integer division, as in KEDA
        reported = upperBound * threshold;
      }
    }
    boolean capped = reported != totalLag;
    boolean active = totalLagWithPersistent > config.activationLagThreshold();

    detail.sort(LARGEST_LAG_FIRST);
    List<PartitionLag> kept = detail.size() > DETAIL_LIMIT ? detail.subList(0, DETAIL_LIMIT) : detail;
    LagReading reading = new LagReading(Math.max(0, reported), Math.max(0, totalLagWithPersistent),
        partitions, partitionsWithLag, capped, active, kept, committedTotal);
    return new Result(reading, seen);
  }

  /**
   * The smallest factor f of the partition count with f × lagThreshold >= totalLag (the partition count
   * itself when none is), so every consumer gets the same number of partitions.
   */
  static long nextFactorBalancingPartitions(long totalLag, long partitions, long lagThreshold) {
    for (long f = 1; f <= partitions; f++) {
      if (partitions % f == 0 && f * lagThreshold >= totalLag) {
        return f;
      }
    }
    return partitions;
  }
}
