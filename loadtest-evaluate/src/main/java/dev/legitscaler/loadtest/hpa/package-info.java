/**
 * A port of the Kubernetes HorizontalPodAutoscaler controller (pkg/controller/podautoscaler:
 * replica_calculator.go and horizontal.go) for External metrics.
 *
 * <p>The arithmetic lives in small pure functions ({@link dev.legitscaler.loadtest.hpa.ReplicaCalculator},
 * {@link dev.legitscaler.loadtest.hpa.Stabilization}, {@link dev.legitscaler.loadtest.hpa.RateLimits});
 * {@link dev.legitscaler.loadtest.hpa.HpaController} holds the per-HPA state upstream keeps in maps
 * (recommendations, scale events) and reads time from an injected {@link java.time.Clock}.
 *
 * <p>Quantities are milli-units ({@code long}) as upstream's {@code MilliValue()}, and ratios are
 * computed as doubles in upstream's order so that results match bit for bit.
 */
package dev.legitscaler.loadtest.hpa;
