/**
 * What KEDA does around the HPA for a ScaledObject: reading the manifest ({@link
 * dev.legitscaler.loadtest.keda.ScaledObjectReader}), creating the HPA spec from the scaler's
 * GetMetricSpec answer ({@link dev.legitscaler.loadtest.keda.HpaMapping}), the fallback on failing
 * metrics ({@link dev.legitscaler.loadtest.keda.FallbackTracker}) and the gRPC call pattern of the
 * operator and the metrics adapter ({@link dev.legitscaler.loadtest.keda.KedaHpaEmulator}).
 */
package dev.legitscaler.loadtest.keda;
