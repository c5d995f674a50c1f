package dev.legitscaler.loadtest.workers;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms (µs, from the intended send time) and outcome counts per scenario phase. Written
 * from HTTP completion threads, read at the end of the run.
 */
public final class LatencyBook {

  /** Highest trackable latency: an hour, in µs; 3 significant digits. */
  private static final long MAX_MICROS = 3_600_000_000L;

  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, Map<Outcome, LongAdder>> outcomes = new ConcurrentHashMap<>();

  public void record(String phase, Outcome outcome, long latencyMicros) {
    latency.computeIfAbsent(phase, p -> new ConcurrentHistogram(MAX_MICROS, 3))
        .recordValue(Math.max(0, Math.min(MAX_MICROS, latencyMicros)));
    outcomes.computeIfAbsent(phase, p -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> new LongAdder()).increment();
  }

  /** Percentiles and error counts per phase, plus an "all" row. */
  public WorkerSummary summary() {
    Map<String, WorkerSummary.PhaseStats> rows = new TreeMap<>();
    Histogram all = new Histogram(MAX_MICROS, 3);
    Map<Outcome, Long> allOutcomes = new TreeMap<>();
    latency.forEach((phase, h) -> {
      Histogram copy = h.copy();
      all.add(copy);
      Map<Outcome, Long> counts = new TreeMap<>();
      outcomes.getOrDefault(phase, Map.of()).forEach((o, n) -> counts.put(o, n.sum()));
      counts.forEach((o, n) -> allOutcomes.merge(o, n, Long::sum));
      rows.put(phase, WorkerSummary.PhaseStats.of(phase, copy, counts));
    });
    return new WorkerSummary(rows, WorkerSummary.PhaseStats.of("all", all, allOutcomes));
  }
}
