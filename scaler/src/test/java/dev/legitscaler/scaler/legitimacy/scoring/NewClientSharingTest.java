package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How often two new clients share a /24 against how often two clients do: a population of 1000 clients
 * at 0.3 req/s (Poisson) from 3000 /24 networks with Zipf 0.5 weights for 5 minutes, then never-seen
 * clients at the same per-client rate joining over a minute, either from the same networks (a crowd of
 * strangers) or from networks of their own (a botnet).
 */
class NewClientSharingTest {

  private static final long START = 300_000;
  private static final long END = 420_000;
  private static final int POPULATION_PREFIXES = 3000;
  /** The newcomers join linearly over the first minute. */
  private static final long RAMP = 60_000;

  /**
   * The never-seen clients: how many, from how many networks of their own (0: the population's); and how
   * many of the population's identities send as much again from {@code START} (bots behind hijacked
   * identities, from the population's own addresses).
   */
  record Newcomers(int clients, int ownPrefixes, int hijacked) {}

  static List<LegitimacyReading> run(Newcomers newcomers) {
    TrafficScorer scorer = new TrafficScorer(ScorerParameters.defaults(), DimensionParameters.defaults());
    SplittableRandom r = new SplittableRandom(7);
    double perClient = 0.3;
    int known = 1000;
    double[] zipf = zipfCumulative(POPULATION_PREFIXES, 0.5);
    String[] knownIds = new String[known];
    long[] nextKnown = new long[known];
    for (int i = 0; i < known; i++) {
      knownIds[i] = populationAddress(zipf, r, i);
      nextKnown[i] = (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
    }
    String[] newIds = new String[newcomers.clients()];
    long[] nextNew = new long[newIds.length];
    for (int i = 0; i < newIds.length; i++) {
      newIds[i] = newcomers.ownPrefixes() == 0 ? populationAddress(zipf, r, 10_000 + i)
          : "77." + (i % newcomers.ownPrefixes()) / 250 + "." + (i % newcomers.ownPrefixes()) % 250 + "."
              + (1 + i / newcomers.ownPrefixes());
      nextNew[i] = START + RAMP * i / newIds.length + (long) (r.nextDouble() * 1000 / perClient);
    }
    long[] nextHijacked = new long[newcomers.hijacked()];
    for (int i = 0; i < nextHijacked.length; i++) {
      nextHijacked[i] = START + RAMP * i / nextHijacked.length + (long) (r.nextDouble() * 1000 / perClient);
    }
    List<LegitimacyReading> readings = new ArrayList<>();
    for (long t = 0; t < END; t += 100) {
      for (int i = 0; i < nextHijacked.length; i++) {
        while (nextHijacked[i] < t + 100) {
          scorer.observe(knownIds[i], nextHijacked[i], true);
          nextHijacked[i] += (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
        }
      }
      for (int i = 0; i < known; i++) {
        while (nextKnown[i] < t + 100) {
          scorer.observe(knownIds[i], nextKnown[i], true);
          nextKnown[i] += (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
        }
      }
      if (t >= START) {
        for (int i = 0; i < newIds.length; i++) {
          while (nextNew[i] < t + 100) {
            scorer.observe(newIds[i], nextNew[i], true);
            nextNew[i] += (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
          }
        }
      }
      if ((t + 100) % 5000 == 0) {
        readings.add(scorer.score(t + 100));
      }
    }
    return readings;
  }

  private static double[] zipfCumulative(int n, double s) {
    double[] c = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += Math.pow(k + 1, -s);
      c[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      c[k] /= sum;
    }
    return c;
  }

  /** A client address in a /24 drawn with the population's weights (/24 number k is 10.(k/250).(k%250)). */
  private static String populationAddress(double[] cumulative, SplittableRandom r, int client) {
    int k = java.util.Arrays.binarySearch(cumulative, r.nextDouble());
    k = k >= 0 ? k : -k - 1;
    return "10." + k / 250 + "." + k % 250 + "." + (1 + client % 254);
  }

  private static LegitimacyReading settled(List<LegitimacyReading> readings) {
    return readings.get((int) ((START + 60_000) / 5000));
  }

  @Test
  void aCrowdOfStrangersFromThePopulationsNetworksSharesThemAsOftenAsEveryone() {
    List<LegitimacyReading> readings = run(new Newcomers(4000, 0, 0));
    // the strangers are new for the first 30 s (then cleared: a flash crowd is calm traffic)
    LegitimacyReading r = readings.get((int) ((START + 20_000) / 5000));
    double baseline = r.signals().get("network_new_sharing_24_baseline");
    assertThat(baseline).isBetween(0.0002, 0.002); // Zipf 0.5 over 3000: sum of squared weights 0.0007
    assertThat(r.signals().get("network_new_sharing_24")).isBetween(0.5 * baseline, 2 * baseline);
    assertThat(readings).noneMatch(LegitimacyReading::attack);
    assertThat(readings.stream().flatMap(x -> x.reasons().stream())).doesNotContain("NETWORK_CONCENTRATION");
  }

  @Test
  void aBotnetFromTwentyNetworksHalfBehindHijackedIdentitiesIsDeclaredBySharing() {
    // 300 req/s of bots on 300 req/s of the population: 500 never-seen bots from 20 /24 networks carry a
    // quarter of the traffic, 500 more send from hijacked identities at the population's own addresses.
    // Two never-seen clients share a /24 once in 20 pairs, 60 times as often as two clients do.
    List<LegitimacyReading> readings = run(new Newcomers(500, 20, 500));
    LegitimacyReading r = readings.get((int) ((START + 30_000) / 5000));
    assertThat(r.signals().get("network_new_sharing_24")).isGreaterThan(0.03);
    // half-way up the ramp the busiest prefixes have not moved far enough yet
    assertThat(r.signals().get("network_top_share_24") - r.signals().get("network_top_share_24_baseline"))
        .isLessThan(0.15);
    assertThat(r.reasons()).contains("NETWORK_CONCENTRATION");
    assertThat(r.attack()).isTrue();
    // the never-seen quarter is sized; the hijacked quarter equals the population in every dimension
    assertThat(r.score()).isBetween(0.6, 0.85); // truth 0.5; 0.75 without the hijacked identities
    assertThat(readings.subList(0, (int) ((START + 30_000) / 5000) + 1)).anyMatch(LegitimacyReading::attack);
  }

  @Test
  void aBotnetFromTwentyNetworksIsSizedByItsPrefixes() {
    List<LegitimacyReading> readings = run(new Newcomers(1000, 20, 0));
    LegitimacyReading r = settled(readings);
    assertThat(r.signals().get("network_new_sharing_24")).isGreaterThan(0.03); // 1 in 20
    assertThat(r.reasons()).contains("NETWORK_CONCENTRATION");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.35, 0.65); // truth 0.5
  }

  @Test
  void aBotnetSpreadOverFourHundredNetworksSharesTooLittleToBeSeenAKnownLimit() {
    // 2000 bots over 400 /24 networks, 5 each: two bots share a /24 once in 400 pairs, 2.7 times as often
    // as two of the population's clients do, under the 8x margin; the busiest prefixes do not move
    // either (docs/legitimacy.md, section 16)
    List<LegitimacyReading> readings = run(new Newcomers(2000, 400, 0));
    double most = readings.stream().map(x -> x.signals().get("network_new_sharing_24"))
        .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).max().orElseThrow();
    assertThat(most).isBetween(0.001, 0.0025);
    assertThat(readings.stream().flatMap(x -> x.reasons().stream())).doesNotContain("NETWORK_CONCENTRATION");
  }
}
