/**
 * {@code loadtest hpa replay}: reads a replay file (an HPA spec, or a ScaledObject plus the scaler's
 * GetMetricSpec answer), runs {@link dev.legitscaler.loadtest.hpa.HpaController} over its steps and
 * prints one line per reconcile. It sits above both {@code hpa} (the controller) and {@code keda} (the
 * ScaledObject mapping and fallback), so neither of those imports the other's tools.
 */
package dev.legitscaler.loadtest.replay;
