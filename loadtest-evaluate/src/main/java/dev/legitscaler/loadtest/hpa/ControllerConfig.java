package dev.legitscaler.loadtest.hpa;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * kube-controller-manager flags that shape the HPA.
 *
 * @param syncPeriod {@code --horizontal-pod-autoscaler-sync-period} (15 s)
 * @param downscaleStabilization {@code --horizontal-pod-autoscaler-downscale-stabilization} (5 min)
 * @param toleranceForm which release's tolerance test to apply
 * @param toleranceDown tolerance below ratio 1 (only the 1.33 form tells it apart from {@code toleranceUp})
 * @param toleranceUp tolerance above ratio 1; the 1.32 form uses this value for both sides
 */
public record ControllerConfig(
    Duration syncPeriod, Duration downscaleStabilization, ToleranceForm toleranceForm, double toleranceDown, double toleranceUp) {

  public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(15);
  public static final Duration DEFAULT_DOWNSCALE_STABILIZATION = Duration.ofMinutes(5);
  public static final int DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;

  public ControllerConfig {
    Objects.requireNonNull(syncPeriod, "syncPeriod");
    Objects.requireNonNull(downscaleStabilization, "downscaleStabilization");
    Objects.requireNonNull(toleranceForm, "toleranceForm");
    if (toleranceForm == ToleranceForm.SYMMETRIC_1_32 && toleranceDown != toleranceUp) {
      throw new IllegalArgumentException("the 1.32 tolerance form is symmetric: toleranceDown must equal toleranceUp");
    }
  }

  /** Upstream defaults of the current release (1.33 form, tolerance 0.1, 15 s, 5 min). */
  public static ControllerConfig defaults() {
    return of(ToleranceForm.ASYMMETRIC_1_33);
  }

  public static ControllerConfig of(ToleranceForm form) {
    return new ControllerConfig(DEFAULT_SYNC_PERIOD, DEFAULT_DOWNSCALE_STABILIZATION, form, Tolerance.DEFAULT, Tolerance.DEFAULT);
  }

  public Tolerance tolerance() {
    return switch (toleranceForm) {
      case SYMMETRIC_1_32 -> new Tolerance.Symmetric(toleranceUp);
      case ASYMMETRIC_1_33 -> new Tolerance.Asymmetric(toleranceDown, toleranceUp);
    };
  }

  /**
   * The tolerance for one HPA: the flags, with each direction replaced by the HPA's
   * {@code behavior.scaleUp/scaleDown.tolerance} when set (upstream's {@code tolerancesForHpa}). The
   * per-HPA field exists only in the 1.33 form.
   */
  public Tolerance toleranceFor(Optional<Behavior> behavior) {
    if (behavior.isEmpty() || toleranceForm == ToleranceForm.SYMMETRIC_1_32) {
      return tolerance();
    }
    double down = behavior.get().scaleDown().tolerance().orElse(toleranceDown);
    double up = behavior.get().scaleUp().tolerance().orElse(toleranceUp);
    return new Tolerance.Asymmetric(down, up);
  }

  public int downscaleStabilizationSeconds() {
    return (int) downscaleStabilization.toSeconds();
  }
}
