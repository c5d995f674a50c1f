package dev.legitscaler.loadtest.model;

import java.time.Duration;

/**
 * Settings of one model-server instance.
 *
 * @param bootstrapServers Kafka bootstrap servers, or null for an HTTP-only instance
 * @param predictionsTopic where answers to Kafka requests go, or null for none
 * @param port HTTP port for /predict, /metrics and /healthz (0 = a free one)
 * @param serviceTime wall time one request holds a slot (the scenario's, divided by the time scale)
 * @param saturationWindow wall-time smoothing window of {@code ml_model_saturation_ratio}
 * @param commitInterval wall time between two commits of the served positions
 * @param maxInFlight records handed to the slots and not yet served above which polling pauses
 * @param timeScale how many times faster than real time this instance runs (1 = real time); the
 *     durations above are already divided by it, it is kept to be reported
 */
public record ModelServerConfig(
    String bootstrapServers,
    String topic,
    String groupId,
    String predictionsTopic,
    String bindAddress,
    int port,
    int slots,
    Duration serviceTime,
    Duration saturationWindow,
    int maxPollRecords,
    String instanceName,
    LogisticModel model,
    Duration commitInterval,
    int maxInFlight,
    double timeScale) {

  /** Real-time defaults: commits every 100 ms, at most {@link #defaultMaxInFlight} records in flight. */
  public ModelServerConfig(String bootstrapServers, String topic, String groupId, String predictionsTopic,
      String bindAddress, int port, int slots, Duration serviceTime, Duration saturationWindow, int maxPollRecords,
      String instanceName, LogisticModel model) {
    this(bootstrapServers, topic, groupId, predictionsTopic, bindAddress, port, slots, serviceTime, saturationWindow,
        maxPollRecords, instanceName, model, Duration.ofMillis(100), defaultMaxInFlight(slots), 1);
  }

  public ModelServerConfig {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be > 0, got " + commitInterval);
    }
  }

  /**
   * 16 per slot, at least 32: polling resumes at half of it, so the slots have 8 service times of work
   * queued when it does, enough to cover a poll round trip on a busy machine.
   */
  public static int defaultMaxInFlight(int slots) {
    return Math.max(32, 16 * slots);
  }

  /** Capacity in requests per second: slots / service time. */
  public double capacityPerSecond() {
    return slots * 1e9 / Math.max(1, serviceTime.toNanos());
  }
}
