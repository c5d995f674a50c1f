package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The model replicas' capacity.
 *
 * @param capacityPerReplica requests per second one replica serves at 100 % saturation
 * @param workerSlots concurrent requests one replica serves; service time = slots / capacity
 */
public record ModelCapacity(
    @JsonProperty("capacityPerReplica") Double capacityPerReplica,
    @JsonProperty("workerSlots") Integer workerSlots) {

  public static final double DEFAULT_CAPACITY = 200.0;
  public static final int DEFAULT_SLOTS = 8;

  public double capacityOrDefault() {
    return capacityPerReplica == null ? DEFAULT_CAPACITY : capacityPerReplica;
  }

  public int workerSlotsOrDefault() {
    return workerSlots == null ? DEFAULT_SLOTS : workerSlots;
  }

  /** Service time of one request so that {@code workerSlots} slots serve {@code capacityPerReplica}. */
  public Duration serviceTime() {
    return Duration.ofNanos(Math.round(workerSlotsOrDefault() * 1e9 / capacityOrDefault()));
  }
}
