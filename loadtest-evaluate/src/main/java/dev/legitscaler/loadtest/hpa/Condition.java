package dev.legitscaler.loadtest.hpa;

/** An HPA status condition (AbleToScale, ScalingActive, ScalingLimited). */
public record Condition(String type, boolean status, String reason, String message) {}
