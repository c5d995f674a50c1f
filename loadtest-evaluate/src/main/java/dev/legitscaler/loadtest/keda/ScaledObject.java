package dev.legitscaler.loadtest.keda;

import dev.legitscaler.loadtest.hpa.Behavior;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a keda.sh/v1alpha1 ScaledObject the emulator uses, with KEDA's defaults applied.
 *
 * @param minReplicaCount default 0 (the HPA gets max(min, 1): KEDA itself handles 0 ↔ 1)
 * @param maxReplicaCount default 100
 * @param pollingIntervalSeconds default 30
 * @param cooldownPeriodSeconds default 300
 * @param behavior {@code advanced.horizontalPodAutoscalerConfig.behavior}, defaults filled in
 */
public record ScaledObject(
    String name,
    String namespace,
    String scaleTargetName,
    int minReplicaCount,
    int maxReplicaCount,
    int pollingIntervalSeconds,
    int cooldownPeriodSeconds,
    Optional<Fallback> fallback,
    Optional<Behavior> behavior,
    List<Trigger> triggers) {

  public static final int DEFAULT_MAX_REPLICAS = 100;
  public static final int DEFAULT_POLLING_INTERVAL = 30;
  public static final int DEFAULT_COOLDOWN_PERIOD = 300;

  public ScaledObject {
    triggers = List.copyOf(triggers);
  }

  /** The ScaledObjectRef KEDA sends the external scaler for {@code trigger}. */
  public ScaledObjectRef ref(Trigger trigger) {
    return ScaledObjectRef.newBuilder().setName(name).setNamespace(namespace)
        .putAllScalerMetadata(trigger.metadata()).build();
  }

  /** KEDA's GetHPAMinReplicas: minReplicaCount when positive, else 1. */
  public int hpaMinReplicas() {
    return minReplicaCount > 0 ? minReplicaCount : 1;
  }

  /** The HPA KEDA creates is named {@code keda-hpa-<scaledobject>}. */
  public String hpaName() {
    return "keda-hpa-" + name;
  }
}
