package dev.legitscaler.scaler.legitimacy.scoring.bench;

import dev.legitscaler.scaler.legitimacy.scoring.DimensionParameters;
import dev.legitscaler.scaler.legitimacy.scoring.RequestAttributes;
import dev.legitscaler.scaler.legitimacy.scoring.ScorerParameters;
import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * {@link ScorerCpuCost} with every evidence dimension on and every attribute present: IPv4 client ids
 * (network prefixes), user agent, path, TLS fingerprint and 8 features per record. Prints the CPU time
 * per record of the measuring thread (bucket closes amortised in) and the scorer's fixed memory, then
 * feeds 1,000,000 distinct clients over one simulated hour and prints the memory again. Not a test: run
 * it by hand (BENCHMARKS.md).
 */
public final class DimensionsCpuCost {
  public static void main(String[] args) {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    SplittableRandom rnd = new SplittableRandom(1);
    int size = 1 << 20;
    String[] ids = new String[size];
    RequestAttributes[] attrs = new RequestAttributes[size];
    String[] agents = new String[200];
    for (int i = 0; i < agents.length; i++) {
      agents[i] = "Mozilla/5.0 (client " + i + ") AppleWebKit/537.36 Chrome/120.0";
    }
    for (int i = 0; i < size; i++) {
      int client = rnd.nextInt(10) == 0 ? 1_000_000 + i : rnd.nextInt(20_000);
      ids[i] = (11 + client % 200) + "." + ((client >>> 3) & 0xff) + "." + ((client >>> 11) & 0xff) + "."
          + (1 + client % 254);
      double[] x = new double[8];
      for (int f = 0; f < x.length; f++) {
        x[f] = rnd.nextDouble(-1, 1);
      }
      attrs[i] = new RequestAttributes(null, agents[client % agents.length], "/v1/predict/" + (client % 12),
          "tls" + (client % 40), x);
    }
    for (int round = 0; round < 3; round++) {
      TrafficScorer scorer = new TrafficScorer(ScorerParameters.defaults(), DimensionParameters.defaults());
      long n = 0;
      for (int i = 0; i < 2_000_000; i++, n++) {
        int k = (int) (n & (size - 1));
        scorer.observe(ids[k], (n * 3) / 10, true, attrs[k]);
      }
      long start = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < records; i++, n++) {
        int k = (int) (n & (size - 1));
        scorer.observe(ids[k], (n * 3) / 10, true, attrs[k]);
      }
      long total = mx.getCurrentThreadCpuTime() - start;
      System.out.printf("round %d: %.0f ns CPU per record amortised, all dimensions on (%d records)%n", round,
          (double) total / records, records);
    }
    TrafficScorer scorer = new TrafficScorer(ScorerParameters.defaults(), DimensionParameters.defaults());
    long before = scorer.retainedBytes();
    long hour = 3_600_000L;
    for (int i = 0; i < 1_000_000; i++) {
      long t = i * hour / 1_000_000;
      String id = (11 + i % 200) + "." + ((i >>> 2) & 0xff) + "." + ((i >>> 10) & 0xff) + "." + (1 + i % 254);
      for (int r = 0; r < 3; r++) {
        scorer.observe(id, t + r, true, attrs[i & (size - 1)]);
      }
    }
    scorer.score(hour);
    System.out.printf("memory: %.1f MiB fixed before, %.1f MiB after 1,000,000 distinct clients in an hour,"
        + " + at most %.1f MiB of client-id strings%n", before / 1048576.0, scorer.retainedBytes() / 1048576.0,
        scorer.maxLabelBytes() / 1048576.0);
  }

  private DimensionsCpuCost() {}
}
