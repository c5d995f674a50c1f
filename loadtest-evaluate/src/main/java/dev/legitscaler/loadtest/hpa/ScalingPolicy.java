package dev.legitscaler.loadtest.hpa;

/** One HPAScalingPolicy: how much change is allowed over {@code periodSeconds}. */
public sealed interface ScalingPolicy permits ScalingPolicy.Pods, ScalingPolicy.Percent {

  int value();

  int periodSeconds();

  /** Upstream's spelling of the policy type. */
  String type();

  /** {@code type: Pods}: at most {@code value} pods per period. */
  record Pods(int value, int periodSeconds) implements ScalingPolicy {
    public Pods {
      ScalingPolicy.check(value, periodSeconds);
    }

    @Override
    public String type() {
      return "Pods";
    }
  }

  /** {@code type: Percent}: at most {@code value} % of the replicas at the start of the period. */
  record Percent(int value, int periodSeconds) implements ScalingPolicy {
    public Percent {
      ScalingPolicy.check(value, periodSeconds);
    }

    @Override
    public String type() {
      return "Percent";
    }
  }

  /** Same bounds as the API server's validation. */
  private static void check(int value, int periodSeconds) {
    if (value <= 0) {
      throw new IllegalArgumentException("policy value must be greater than zero, got " + value);
    }
    if (periodSeconds <= 0 || periodSeconds > 1800) {
      throw new IllegalArgumentException("policy periodSeconds must be in 1..1800, got " + periodSeconds);
    }
  }
}
