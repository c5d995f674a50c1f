package dev.legitscaler.loadtest.hpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure ports of the clamps and rate limits in horizontal.go: convertDesiredReplicasWithRules (legacy),
 * convertDesiredReplicasWithBehaviorRate, calculateScaleUpLimitWithScalingRules,
 * calculateScaleDownLimitWithBehaviors, getReplicasChangePerPeriod and storeScaleEvent.
 */
public final class RateLimits {
  /** Legacy scale-up cap: max(2 × current, 4) (upstream scaleUpLimitFactor / scaleUpLimitMinimum). */
  static final double SCALE_UP_LIMIT_FACTOR = 2.0;
  static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

  private RateLimits() {}

  /** calculateScaleUpLimit: {@code max(2 × current, 4)}. */
  public static int legacyScaleUpLimit(int currentReplicas) {
    return (int) Math.max(SCALE_UP_LIMIT_FACTOR * (double) currentReplicas, SCALE_UP_LIMIT_MINIMUM);
  }

  /** convertDesiredReplicasWithRules: clamp to [min, min(max, max(2 × current, 4))]. */
  public static Limited withRules(int currentReplicas, int desiredReplicas, int minReplicas, int maxReplicas) {
    int minimumAllowed = minReplicas;
    int maximumAllowed;
    String reason;
    String message;
    int scaleUpLimit = legacyScaleUpLimit(currentReplicas);
    if (maxReplicas > scaleUpLimit) {
      maximumAllowed = scaleUpLimit;
      reason = "ScaleUpLimit";
      message = "the desired replica count is increasing faster than the maximum scale rate";
    } else {
      maximumAllowed = maxReplicas;
      reason = "TooManyReplicas";
      message = "the desired replica count is more than the maximum replica count";
    }
    if (desiredReplicas < minimumAllowed) {
      return new Limited(minimumAllowed, "TooFewReplicas", "the desired replica count is less than the minimum replica count");
    } else if (desiredReplicas > maximumAllowed) {
      return new Limited(maximumAllowed, reason, message);
    }
    return withinRange(desiredReplicas);
  }

  /**
   * convertDesiredReplicasWithBehaviorRate: the up limit is max(policy limit, current) and at most
   * maxReplicas; the down limit is min(policy limit, current) and at least minReplicas.
   */
  public static Limited withBehaviorRate(
      int currentReplicas, int desiredReplicas, int minReplicas, int maxReplicas, Behavior behavior,
      List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents, Instant now) {
    if (desiredReplicas > currentReplicas) {
      int scaleUpLimit = scaleUpLimit(currentReplicas, scaleUpEvents, scaleDownEvents, behavior.scaleUp(), now);
      if (scaleUpLimit < currentReplicas) {
        // no further scale-up until the events of the period age out
        scaleUpLimit = currentReplicas;
      }
      int maximumAllowed = maxReplicas;
      String reason;
      String message;
      if (maximumAllowed > scaleUpLimit) {
        maximumAllowed = scaleUpLimit;
        reason = "ScaleUpLimit";
        message = "the desired replica count is increasing faster than the maximum scale rate";
      } else {
        reason = "TooManyReplicas";
        message = "the desired replica count is more than the maximum replica count";
      }
      if (desiredReplicas > maximumAllowed) {
        return new Limited(maximumAllowed, reason, message);
      }
    } else if (desiredReplicas < currentReplicas) {
      int scaleDownLimit = scaleDownLimit(currentReplicas, scaleUpEvents, scaleDownEvents, behavior.scaleDown(), now);
      if (scaleDownLimit > currentReplicas) {
        // no further scale-down until the events of the period age out
        scaleDownLimit = currentReplicas;
      }
      int minimumAllowed = minReplicas;
      String reason;
      String message;
      if (minimumAllowed < scaleDownLimit) {
        minimumAllowed = scaleDownLimit;
        reason = "ScaleDownLimit";
        message = "the desired replica count is decreasing faster than the maximum scale rate";
      } else {
        reason = "TooFewReplicas";
        message = "the desired replica count is less than the minimum replica count";
      }
      if (desiredReplicas < minimumAllowed) {
        return new Limited(minimumAllowed, reason, message);
      }
    }
    return withinRange(desiredReplicas);
  }

  private static Limited withinRange(int replicas) {
    return new Limited(replicas, "DesiredWithinRange", "the desired count is within the acceptable range");
  }

  /** getReplicasChangePerPeriod: the sum of changes strictly newer than {@code now − period}. */
  public static int replicasChangePerPeriod(int periodSeconds, List<ScaleEvent> events, Instant now) {
    Instant cutoff = now.minusSeconds(periodSeconds);
    int replicas = 0;
    for (ScaleEvent e : events) {
      if (e.at().isAfter(cutoff)) {
        replicas += e.change();
      }
    }
    return replicas;
  }

  /**
   * calculateScaleUpLimitWithScalingRules. periodStart = current − added + removed in the period;
   * Pods → periodStart + v, Percent → ceil(periodStart × (1 + v/100)) (rounded up so that a small
   * target can still grow). Max picks the largest limit, Min the smallest, Disabled returns current.
   */
  public static int scaleUpLimit(int currentReplicas, List<ScaleEvent> up, List<ScaleEvent> down, ScalingRules rules, Instant now) {
    if (rules.selectPolicy() == SelectPolicy.Disabled) {
      return currentReplicas;
    }
    boolean minChange = rules.selectPolicy() == SelectPolicy.Min;
    int result = minChange ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (ScalingPolicy policy : rules.policies()) {
      int added = replicasChangePerPeriod(policy.periodSeconds(), up, now);
      int deleted = replicasChangePerPeriod(policy.periodSeconds(), down, now);
      int periodStart = currentReplicas - added + deleted;
      int proposed = policy instanceof ScalingPolicy.Pods
          ? periodStart + policy.value()
          : (int) Math.ceil((double) periodStart * (1 + (double) policy.value() / 100));
      result = minChange ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /**
   * calculateScaleDownLimitWithBehaviors. Pods → periodStart − v, Percent → trunc(periodStart × (1 − v/100));
   * Max picks the lowest limit (largest change), Min the highest, Disabled returns current.
   */
  public static int scaleDownLimit(int currentReplicas, List<ScaleEvent> up, List<ScaleEvent> down, ScalingRules rules, Instant now) {
    if (rules.selectPolicy() == SelectPolicy.Disabled) {
      return currentReplicas;
    }
    boolean minChange = rules.selectPolicy() == SelectPolicy.Min;
    int result = minChange ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (ScalingPolicy policy : rules.policies()) {
      int added = replicasChangePerPeriod(policy.periodSeconds(), up, now);
      int deleted = replicasChangePerPeriod(policy.periodSeconds(), down, now);
      int periodStart = currentReplicas - added + deleted;
      int proposed = policy instanceof ScalingPolicy.Pods
          ? periodStart - policy.value()
          : (int) ((double) periodStart * (1 - (double) policy.value() / 100));
      result = minChange ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  /** The two event histories after a rescale. */
  public record Events(List<ScaleEvent> scaleUp, List<ScaleEvent> scaleDown) {
    public Events {
      scaleUp = List.copyOf(scaleUp);
      scaleDown = List.copyOf(scaleDown);
    }
  }

  /**
   * storeScaleEvent: records {@code |new − prev|} in the direction's history, reusing the slot of the last
   * event older than that direction's longest policy period. Nothing is stored without behavior.
   */
  public static Events storeScaleEvent(Behavior behavior, Events events, int prevReplicas, int newReplicas, Instant now) {
    if (newReplicas > prevReplicas) {
      return new Events(store(events.scaleUp(), behavior.scaleUp(), newReplicas - prevReplicas, now), events.scaleDown());
    }
    return new Events(events.scaleUp(), store(events.scaleDown(), behavior.scaleDown(), prevReplicas - newReplicas, now));
  }

  private static List<ScaleEvent> store(List<ScaleEvent> events, ScalingRules rules, int change, Instant now) {
    Instant cutoff = now.minusSeconds(rules.longestPolicyPeriodSeconds());
    List<ScaleEvent> marked = new ArrayList<>(events.size() + 1);
    boolean foundOld = false;
    int oldIndex = 0;
    for (int i = 0; i < events.size(); i++) {
      ScaleEvent e = events.get(i);
      // markScaleEventsOutdated: once outdated, an event stays outdated
      ScaleEvent m = e.at().isBefore(cutoff) ? new ScaleEvent(e.change(), e.at(), true) : e;
      marked.add(m);
      if (m.outdated()) {
        foundOld = true;
        oldIndex = i;
      }
    }
    ScaleEvent newEvent = new ScaleEvent(change, now, false);
    if (foundOld) {
      marked.set(oldIndex, newEvent);
    } else {
      marked.add(newEvent);
    }
    return marked;
  }
}
