package dev.legitscaler.loadtest.keda;

/** ScaledObject {@code spec.fallback.behavior}: which replica count the fallback value stands for. */
public enum FallbackBehavior {
  STATIC("static"),
  CURRENT_REPLICAS("currentReplicas"),
  CURRENT_REPLICAS_IF_HIGHER("currentReplicasIfHigher"),
  CURRENT_REPLICAS_IF_LOWER("currentReplicasIfLower");

  private final String spelling;

  FallbackBehavior(String spelling) {
    this.spelling = spelling;
  }

  public String spelling() {
    return spelling;
  }

  public static FallbackBehavior parse(String s) {
    for (FallbackBehavior b : values()) {
      if (b.spelling.equals(s)) {
        return b;
      }
    }
    throw new IllegalArgumentException("'" + s + "'; expected static, currentReplicas, currentReplicasIfHigher or currentReplicasIfLower");
  }
}
