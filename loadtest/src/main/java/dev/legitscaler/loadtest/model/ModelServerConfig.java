package dev.legitscaler.loadtest.model;

import java.time.Duration;

/**
 * Settings of one model-server instance.
 *
 * @param bootstrapServers Kafka bootstrap servers, or null for an HTTP-only instance
 * @param predictionsTopic where answers to Kafka requests go, or null for none
 * @param port HTTP port for /predict, /metrics and /healthz (0 = a free one)
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
    LogisticModel model) {

  /** Capacity in requests per second: slots / service time. */
  public double capacityPerSecond() {
    return slots * 1e9 / Math.max(1, serviceTime.toNanos());
  }
}
