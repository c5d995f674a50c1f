/**
 * {@code loadtest evaluate}: a scenario run offline in simulated time. The scenario's traffic model feeds
 * the scaler's own {@code TrafficScorer} and {@code Decision}, the HPA emulator turns the published value
 * into replicas, and a fluid model of the replicas (capacity, queue, pod start delay) closes the loop.
 * The same traffic also drives a naive load-only policy for comparison. See docs/evaluate.md.
 */
package dev.legitscaler.loadtest.evaluate;
