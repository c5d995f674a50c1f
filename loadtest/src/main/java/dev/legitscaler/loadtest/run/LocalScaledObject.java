package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ScaledObject as a cluster gets it, rewritten in memory for the local platform: its cluster DNS
 * addresses replaced by the platform's, and the scorer's wall-clock windows divided by the time scale.
 * The manifest file is never touched.
 */
final class LocalScaledObject {
  private LocalScaledObject() {}

  /** Where the local platform's services listen. */
  record Addresses(String scaler, String prometheus, String kafka) {}

  static ScaledObject of(ScaledObject so, Addresses at, double timeScale) {
    List<Trigger> triggers = new ArrayList<>();
    for (Trigger t : so.triggers()) {
      Map<String, String> md = new LinkedHashMap<>(t.metadata());
      md.replaceAll((key, value) -> switch (key) {
        case "scalerAddress" -> at.scaler();
        case "serverAddress" -> at.prometheus();
        case "bootstrapServers" -> at.kafka();
        default -> value;
      });
      md.putAll(scorerTimeScaled(md, timeScale));
      triggers.add(new Trigger(t.index(), t.type(), t.name(), t.valueMetric(), md));
    }
    return new ScaledObject(so.name(), so.namespace(), so.scaleTargetName(), so.minReplicaCount(), so.maxReplicaCount(),
        so.pollingIntervalSeconds(), so.cooldownPeriodSeconds(), so.fallback(), so.behavior(), triggers);
  }

  /**
   * The scorer reads wall time: its bucket (5 s) and clearAfter (30 s) are divided by the time scale
   * through the trigger's metadata, within the bounds the scaler accepts (bucket ≥ 1 s, clearAfter ≥ 5 s).
   * Its warm-up and attack hold are not configurable and stay in wall time (documented in docs/platform.md).
   * A manifest that sets the bucket itself is left alone.
   */
  static Map<String, String> scorerTimeScaled(Map<String, String> md, double timeScale) {
    if (timeScale <= 1 || !md.containsKey("legitimacySource") || md.containsKey("legitimacyBucket")) {
      return Map.of();
    }
    long bucket = Math.max(1, Math.round(5 / timeScale));
    long clear = Math.max(5, Math.round(30 / timeScale));
    return Map.of("legitimacyBucket", bucket + "s", "legitimacyClearAfter", clear + "s");
  }

  /**
   * The manifest as the offline evaluation must read it to model what the local platform runs: the
   * scorer's bucket and clearAfter that {@link #scorerTimeScaled} gave the live scaler (wall time),
   * multiplied back into scenario time (1 s wall at time scale 6 = a 6 s bucket, not the default 5 s).
   * Addresses are irrelevant offline and left as they are.
   */
  static ScaledObject offlineEquivalent(ScaledObject so, double timeScale) {
    List<Trigger> triggers = new ArrayList<>();
    for (Trigger t : so.triggers()) {
      Map<String, String> md = new LinkedHashMap<>(t.metadata());
      scorerTimeScaled(t.metadata(), timeScale).forEach((key, wall) -> {
        long wallSeconds = Long.parseLong(wall.substring(0, wall.length() - 1));
        md.put(key, Math.round(wallSeconds * timeScale * 1000) + "ms");
      });
      triggers.add(new Trigger(t.index(), t.type(), t.name(), t.valueMetric(), md));
    }
    return new ScaledObject(so.name(), so.namespace(), so.scaleTargetName(), so.minReplicaCount(), so.maxReplicaCount(),
        so.pollingIntervalSeconds(), so.cooldownPeriodSeconds(), so.fallback(), so.behavior(), triggers);
  }
}
