package dev.legitscaler.scaler.legitimacy.scoring;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic request streams for the scorer: populations of clients, each active over a
 * time span (optionally pulsing), each client sending Poisson traffic at a per-client rate.
 */
final class SyntheticTraffic {

  /** A group of clients: legitimate or not, ids {@code prefix + n}, each at {@code ratePerClient}. */
  record Population(String prefix, int clients, double ratePerClient, int fromSecond, int toSecond,
      boolean legitimate, boolean valid, int pulseOnSeconds, int pulsePeriodSeconds, boolean oneShotIds) {

    static Population legit(String prefix, int clients, double rate, int from, int to) {
      return new Population(prefix, clients, rate, from, to, true, true, 0, 0, false);
    }

    static Population attack(String prefix, int clients, double rate, int from, int to) {
      return new Population(prefix, clients, rate, from, to, false, true, 0, 0, false);
    }

    static Population invalidFlood(String prefix, int clients, double rate, int from, int to) {
      return new Population(prefix, clients, rate, from, to, false, false, 0, 0, false);
    }

    /** Clients that each appear once (normal churn): {@code clients} is then new ids per second. */
    static Population churn(String prefix, int newPerSecond, int from, int to) {
      return new Population(prefix, newPerSecond, 1.0, from, to, true, true, 0, 0, true);
    }

    Population pulsing(int onSeconds, int periodSeconds) {
      return new Population(prefix, clients, ratePerClient, fromSecond, toSecond, legitimate, valid, onSeconds,
          periodSeconds, oneShotIds);
    }

    boolean activeAt(int second) {
      if (second < fromSecond || second >= toSecond) {
        return false;
      }
      return pulsePeriodSeconds == 0 || (second - fromSecond) % pulsePeriodSeconds < pulseOnSeconds;
    }

    double totalRate() {
      return oneShotIds ? clients : clients * ratePerClient;
    }
  }

  /** The reading at the end of second {@code second}, with the true legitimate share of its window. */
  record Sample(int second, LegitimacyReading reading, double trueLegitShare, double legitRate, double totalRate) {
    /** Share of the traffic the decision may act on right away: s, and nothing not yet judged. */
    double trusted() {
      return reading.attack() ? reading.score() : Math.min(reading.score(), 1 - reading.unscoredShare());
    }
  }

  static final int BASE_CLIENTS = 3000;
  static final double BASE_RATE = 0.1;

  /** 3000 regular clients at 0.1 req/s (300 req/s) plus 10 one-off clients per second. */
  static List<Population> steady(int seconds) {
    List<Population> p = new ArrayList<>();
    p.add(Population.legit("user-", BASE_CLIENTS, BASE_RATE, 0, seconds));
    p.add(Population.churn("visitor-", 10, 0, seconds));
    return p;
  }

  static List<Sample> run(TrafficScorer scorer, List<Population> populations, int seconds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long windowMillis = scorer.parameters().windowMillis();
    int windowSeconds = (int) (windowMillis / 1000);
    int bucketSeconds = (int) (scorer.parameters().bucketMillis() / 1000);
    double[] legitPerSecond = new double[seconds];
    double[] totalPerSecond = new double[seconds];
    long oneShot = 0;
    List<Sample> samples = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      for (Population pop : populations) {
        if (!pop.activeAt(s)) {
          continue;
        }
        int n = poisson(rnd, pop.totalRate());
        for (int i = 0; i < n; i++) {
          String id = pop.oneShotIds() ? pop.prefix() + (oneShot++) : pop.prefix() + rnd.nextInt(pop.clients());
          scorer.observe(id, s * 1000L + rnd.nextInt(1000), pop.valid());
        }
        totalPerSecond[s] += n;
        if (pop.legitimate()) {
          legitPerSecond[s] += n;
        }
      }
      if ((s + 1) % bucketSeconds == 0) {
        LegitimacyReading r = scorer.score((s + 1) * 1000L);
        double legit = 0;
        double total = 0;
        for (int w = Math.max(0, s + 1 - windowSeconds); w <= s; w++) {
          legit += legitPerSecond[w];
          total += totalPerSecond[w];
        }
        samples.add(new Sample(s + 1, r, total == 0 ? 1 : legit / total, legit / windowSeconds,
            total / windowSeconds));
      }
    }
    return samples;
  }

  static int poisson(SplittableRandom rnd, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      // normal approximation, plenty for traffic volumes
      double g = rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble()
          + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble() + rnd.nextDouble()
          + rnd.nextDouble() + rnd.nextDouble() - 6;
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * g));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double prod = rnd.nextDouble();
    while (prod > l) {
      k++;
      prod *= rnd.nextDouble();
    }
    return k;
  }

  private SyntheticTraffic() {}
}
