package dev.legitscaler.loadtest.hpa;

import java.util.Objects;

/** spec.behavior with defaults filled in. Its presence switches the controller to the behavior path. */
public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {
  public Behavior {
    Objects.requireNonNull(scaleUp, "scaleUp");
    Objects.requireNonNull(scaleDown, "scaleDown");
  }

  /** {@code behavior: {}}: both directions at upstream's defaults. */
  public static Behavior defaults(int controllerDownscaleWindowSeconds) {
    return new Behavior(ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown(controllerDownscaleWindowSeconds));
  }
}
