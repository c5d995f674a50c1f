package dev.legitscaler.scaler.legitimacy.scoring.bench;

import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * The same workload as {@link ScorerBenchmark#observe}, measured in CPU time of the measuring thread
 * rather than wall-clock time: on a machine shared with other jobs, wall-clock microbenchmarks mostly
 * measure the wait for a core. Prints the amortised CPU cost per record (bucket closes included) and
 * the CPU cost of one bucket close (window judgement). Not a test: run it by hand (see
 * docs/benchmarks/legitimacy.md).
 */
public final class ScorerCpuCost {
  public static void main(String[] args) {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000_000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    SplittableRandom rnd = new SplittableRandom(1);
    int size = 1 << 20;
    String[] ids = new String[size];
    long oneOff = 0;
    for (int i = 0; i < size; i++) {
      ids[i] = rnd.nextInt(10) == 0 ? "visitor-" + (oneOff++) : "user-" + rnd.nextInt(20_000);
    }
    for (int round = 0; round < 3; round++) {
      TrafficScorer scorer = new TrafficScorer();
      long n = 0;
      for (int i = 0; i < 2_000_000; i++, n++) {
        scorer.observe(ids[(int) (n & (size - 1))], (n * 3) / 10, true);
      }
      long closeCpu = 0;
      long closes = 0;
      long start = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < records; i++, n++) {
        long t = (n * 3) / 10;
        if (t % 5000 == 0 && ((n - 1) * 3) / 10 % 5000 != 0) {
          long c0 = mx.getCurrentThreadCpuTime();
          scorer.score(t);
          closeCpu += mx.getCurrentThreadCpuTime() - c0;
          closes++;
        }
        scorer.observe(ids[(int) (n & (size - 1))], t, true);
      }
      long total = mx.getCurrentThreadCpuTime() - start;
      System.out.printf("round %d: %.0f ns CPU per record amortised (%d records, %d bucket closes), "
          + "%.2f ms CPU per bucket close (%.0f ns per record of it)%n", round, (double) total / records, records,
          closes, closeCpu / 1e6 / Math.max(1, closes), (double) closeCpu / records);
    }
  }

  private ScorerCpuCost() {}
}
