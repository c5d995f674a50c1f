package dev.legitscaler.loadtest.keda;

/**
 * One {@code MetricSpec} of a scaler's GetMetricSpec answer (kept free of the protobuf class so that
 * replays need no gRPC).
 */
public record MetricSpecAnswer(String metricName, long targetSize, double targetSizeFloat) {}
