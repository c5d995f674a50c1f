package dev.legitscaler.loadtest.workers;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** End-of-run latency percentiles (ms, from the intended send time) and error rates by cause, per phase. */
public record WorkerSummary(Map<String, PhaseStats> phases, PhaseStats all) {

  /** One row. */
  public record PhaseStats(String phase, long count, double p50Ms, double p95Ms, double p99Ms, double maxMs,
      Map<Outcome, Long> outcomes) {

    static PhaseStats of(String phase, Histogram h, Map<Outcome, Long> outcomes) {
      long n = h.getTotalCount();
      return new PhaseStats(phase, n, ms(h, n, 50), ms(h, n, 95), ms(h, n, 99), n == 0 ? 0 : h.getMaxValue() / 1000.0,
          Map.copyOf(outcomes));
    }

    private static double ms(Histogram h, long n, double percentile) {
      return n == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public long count(Outcome o) {
      return outcomes.getOrDefault(o, 0L);
    }

    public long errors() {
      return outcomes.entrySet().stream().filter(e -> e.getKey().isError()).mapToLong(Map.Entry::getValue).sum();
    }

    /** Error share by cause, e.g. {timeout=0.02}. */
    public Map<String, Double> errorRates() {
      return outcomes.entrySet().stream().filter(e -> e.getKey().isError())
          .collect(Collectors.toMap(e -> e.getKey().label, e -> count == 0 ? 0 : e.getValue() / (double) count));
    }
  }

  /** A fixed-width table for the terminal. */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-20s %9s %9s %9s %9s %9s %8s  %s%n", "phase", "requests", "p50_ms", "p95_ms",
        "p99_ms", "max_ms", "err_pct", "errors by cause"));
    for (PhaseStats p : phases.values()) {
      row(sb, p);
    }
    row(sb, all);
    return sb.toString();
  }

  private static void row(StringBuilder sb, PhaseStats p) {
    String causes = p.outcomes().entrySet().stream().filter(e -> e.getKey().isError())
        .map(e -> e.getKey().label + "=" + e.getValue()).collect(Collectors.joining(" "));
    sb.append(String.format(Locale.ROOT, "%-20s %9d %9.1f %9.1f %9.1f %9.1f %8.2f  %s%n", p.phase(), p.count(),
        p.p50Ms(), p.p95Ms(), p.p99Ms(), p.maxMs(), p.count() == 0 ? 0 : 100.0 * p.errors() / p.count(), causes));
  }
}
