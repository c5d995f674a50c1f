/**
 * {@code loadtest sweep}: an operating curve of the legitimacy scorer. A seeded family of scenarios
 * (surge share × per-client rate ratio × novelty × which dimension the bots differ in, plus the same
 * surges as legitimate flash crowds) runs through {@code loadtest evaluate}'s simulation; the cells are
 * aggregated per class into detection rate, false-positive rate and wasted replica-minutes against the
 * naive policy. See docs/evaluate.md.
 */
package dev.legitscaler.loadtest.sweep;
