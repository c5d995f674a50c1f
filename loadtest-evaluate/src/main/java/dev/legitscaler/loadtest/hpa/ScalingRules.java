package dev.legitscaler.loadtest.hpa;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolved HPAScalingRules for one direction (defaults already filled in).
 *
 * @param stabilizationWindowSeconds 0..3600
 * @param tolerance {@code tolerance} of this direction (Kubernetes ≥ 1.33, feature gate HPAConfigurableTolerance,
 *     on by default from 1.35) as upstream's {@code AsApproximateFloat64()}; empty: the controller's flag
 */
public record ScalingRules(int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies,
    Optional<Double> tolerance) {

  public ScalingRules {
    Objects.requireNonNull(selectPolicy, "selectPolicy");
    Objects.requireNonNull(tolerance, "tolerance");
    policies = List.copyOf(policies);
    if (tolerance.isPresent() && !(tolerance.get() >= 0)) {
      throw new IllegalArgumentException("tolerance must be a non-negative quantity, got " + tolerance.get());
    }
    if (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600) {
      throw new IllegalArgumentException(
          "stabilizationWindowSeconds must be in 0..3600, got " + stabilizationWindowSeconds);
    }
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("at least one policy must be specified");
    }
  }

  /** Rules without a per-HPA tolerance (the controller's flag applies). */
  public ScalingRules(int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies) {
    this(stabilizationWindowSeconds, selectPolicy, policies, Optional.empty());
  }

  /** Upstream's default scale-up rules (GenerateHPAScaleUpRules): window 0, Pods 4/15 s, Percent 100/15 s, Max. */
  public static ScalingRules defaultScaleUp() {
    return new ScalingRules(0, SelectPolicy.Max,
        List.of(new ScalingPolicy.Pods(4, 15), new ScalingPolicy.Percent(100, 15)));
  }

  /**
   * Upstream's default scale-down rules (GenerateHPAScaleDownRules): Percent 100/15 s, Max; the window is
   * left unset upstream and filled from the controller's {@code --horizontal-pod-autoscaler-downscale-stabilization}.
   */
  public static ScalingRules defaultScaleDown(int controllerDownscaleWindowSeconds) {
    return new ScalingRules(controllerDownscaleWindowSeconds, SelectPolicy.Max,
        List.of(new ScalingPolicy.Percent(100, 15)));
  }

  /**
   * Fills unset fields from {@code defaults}, as upstream's copyHPAScalingRules does: every field the user
   * set wins, field by field (a rule with only a window keeps the default policies).
   */
  public static ScalingRules merge(Integer window, SelectPolicy select, List<ScalingPolicy> policies, ScalingRules defaults) {
    return merge(window, select, policies, Optional.empty(), defaults);
  }

  /** As {@link #merge(Integer, SelectPolicy, List, ScalingRules)}, with this direction's tolerance (never defaulted upstream). */
  public static ScalingRules merge(Integer window, SelectPolicy select, List<ScalingPolicy> policies, Optional<Double> tolerance,
      ScalingRules defaults) {
    return new ScalingRules(
        window != null ? window : defaults.stabilizationWindowSeconds(),
        select != null ? select : defaults.selectPolicy(),
        policies != null ? policies : defaults.policies(),
        tolerance.isPresent() ? tolerance : defaults.tolerance());
  }

  /** The longest policy period: scale events older than that are reusable (getLongestPolicyPeriod). */
  public int longestPolicyPeriodSeconds() {
    int longest = 0;
    for (ScalingPolicy p : policies) {
      longest = Math.max(longest, p.periodSeconds());
    }
    return longest;
  }
}
