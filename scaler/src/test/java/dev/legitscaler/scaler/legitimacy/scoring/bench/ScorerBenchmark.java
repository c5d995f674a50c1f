package dev.legitscaler.scaler.legitimacy.scoring.bench;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the scorer on one core. {@code observe} runs at 3,333 records per simulated second, so every
 * 16,665 records a bucket closes and the window is judged: that cost is included, amortised. The
 * population: 20,000 regular clients (90 % of records) and a never-repeating stream of one-off clients
 * (10 %), which keeps the known-clients filter and the pending filters busy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScorerBenchmark {
  private static final int IDS = 1 << 20;
  private String[] ids;
  private TrafficScorer scorer;
  private long n;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(1);
    ids = new String[IDS];
    long oneOff = 0;
    for (int i = 0; i < IDS; i++) {
      ids[i] = rnd.nextInt(10) == 0 ? "visitor-" + (oneOff++) : "user-" + rnd.nextInt(20_000);
    }
    scorer = new TrafficScorer();
    for (int i = 0; i < 2_000_000; i++) {
      observe();
    }
  }

  @Benchmark
  public long observe() {
    // 0.3 ms of simulated time per record
    scorer.observe(ids[next++ & (IDS - 1)], (n++ * 3) / 10, true);
    return n;
  }

  /** A refresh between bucket boundaries: returns the reading of the last closed bucket. */
  @Benchmark
  public LegitimacyReading scoreBetweenBuckets() {
    return scorer.score((n * 3) / 10);
  }

  /** A refresh that closes a full bucket (16,665 records, ~5,000 distinct clients) and judges the window. */
  @State(Scope.Thread)
  public static class FullBucket {
    TrafficScorer scorer;
    String[] ids;
    long n;

    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom rnd = new SplittableRandom(2);
      ids = new String[IDS];
      for (int i = 0; i < IDS; i++) {
        ids[i] = "user-" + rnd.nextInt(20_000);
      }
      scorer = new TrafficScorer();
      fill(400_000);
    }

    @Setup(Level.Invocation)
    public void fillOneBucket() {
      fill(16_665);
    }

    void fill(int records) {
      for (int i = 0; i < records; i++) {
        scorer.observe(ids[(int) (n & (IDS - 1))], (n++ * 3) / 10, true);
      }
    }
  }

  @Benchmark
  public LegitimacyReading scoreClosingABucket(FullBucket s) {
    // jump to the next bucket boundary: exactly one bucket closes and the window is judged
    long now = (s.n * 3) / 10;
    long boundary = (now / 5000 + 1) * 5000;
    LegitimacyReading r = s.scorer.score(boundary);
    s.n = boundary * 10 / 3 + 1;
    return r;
  }
}
