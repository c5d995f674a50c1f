package dev.legitscaler.loadtest.hpa;

/** A replica count after a limit was applied, with the ScalingLimited reason upstream reports. */
public record Limited(int replicas, String reason, String message) {}
