package dev.legitscaler.loadtest.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The model replicas behind one policy, as a fluid queue: every request (attack traffic included: it
 * costs capacity whether or not it buys replicas) joins one queue, the ready replicas serve
 * {@code capacityPerReplica} requests per second each, and what they cannot serve waits (the Kafka lag).
 * A replica the HPA adds is ready only after the pod start delay (a model pod loads its model first);
 * a removed replica stops at once, not-ready ones first (as the ReplicaSet controller deletes them).
 */
final class ReplicaPool {
  private final double capacityPerReplica;
  private final long startDelayMillis;
  /** Ready time of each pod, scenario milliseconds; ascending order of creation. */
  private final List<Long> readyAt = new ArrayList<>();
  private double queue;
  private long arrived;
  private double served;
  private double servedInInterval;
  private double capacityInInterval;

  ReplicaPool(int initialReplicas, double capacityPerReplica, long startDelayMillis) {
    this.capacityPerReplica = capacityPerReplica;
    this.startDelayMillis = startDelayMillis;
    for (int i = 0; i < initialReplicas; i++) {
      readyAt.add(Long.MIN_VALUE);
    }
  }

  int replicas() {
    return readyAt.size();
  }

  int ready(long nowMillis) {
    int n = 0;
    for (long r : readyAt) {
      if (r <= nowMillis) {
        n++;
      }
    }
    return n;
  }

  /** One slot: {@code arrivals} requests join the queue, the ready replicas serve what they can. */
  void step(long nowMillis, double slotSeconds, int arrivals) {
    queue += arrivals;
    arrived += arrivals;
    double capacity = ready(nowMillis) * capacityPerReplica * slotSeconds;
    double s = Math.min(queue, capacity);
    queue -= s;
    served += s;
    servedInInterval += s;
    capacityInInterval += capacity;
  }

  /**
   * Per-instance saturation over the interval since the last call (what {@code ml_model_saturation_ratio}
   * averages to over a scrape): busy share of the ready capacity, 1.0 = every slot busy. Resets the
   * interval.
   */
  double takeBusyShare() {
    double busy = capacityInInterval > 0 ? Math.min(1.0, servedInInterval / capacityInInterval) : 0.0;
    servedInInterval = 0;
    capacityInInterval = 0;
    return busy;
  }

  /** Requests waiting: produced but not yet consumed (the consumer group's lag). */
  long lag() {
    return (long) Math.floor(queue);
  }

  long producedOffset() {
    return arrived;
  }

  /** The HPA wrote a new spec.replicas. */
  void scaleTo(int desired, long nowMillis) {
    while (readyAt.size() < desired) {
      readyAt.add(nowMillis + startDelayMillis);
    }
    while (readyAt.size() > desired) {
      // the pod that became (or becomes) ready last goes first: not-ready pods are deleted first
      int last = 0;
      for (int i = 1; i < readyAt.size(); i++) {
        if (readyAt.get(i) >= readyAt.get(last)) {
          last = i;
        }
      }
      readyAt.remove(last);
    }
  }
}
