package dev.legitscaler.loadtest.hpa;

import java.time.Instant;

/** A raw (unstabilized) recommendation and when it was made (upstream timestampedRecommendation). */
public record Recommendation(int replicas, Instant at) {}
