package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each evidence dimension on a synthetic stream: 300 req/s from 1000 clients (Poisson, random public
 * addresses, 50 user agents, reference features) for 5 minutes, then 1200 req/s more from 4000 never-seen
 * clients at the same per-client rate that differ from the population in exactly one dimension (a
 * mimicry botnet), or in none (a crowd of strangers).
 */
class EvidenceDimensionsTest {

  enum Differs { NOTHING, NETWORKS, USER_AGENT, TIMING, PAYLOAD }

  private static final long START = 300_000;
  private static final long END = 480_000;

  /** Readings every 5 s until {@code END}; newcomers from {@code START}. */
  static List<LegitimacyReading> run(Differs differs, DimensionParameters dims) {
    return run(differs, dims, 4000, 0.6, 0);
  }

  /**
   * {@code strangers} never-seen clients from {@code START}, shifting their features by {@code shift}
   * when the payloads differ; {@code knownBots} of the known clients start to send the same shifted
   * features at {@code START} (bots on identities the scorer has cleared).
   */
  static List<LegitimacyReading> run(Differs differs, DimensionParameters dims, int strangers, double shift,
      int knownBots) {
    TrafficScorer scorer = new TrafficScorer(ScorerParameters.defaults(), dims);
    SplittableRandom r = new SplittableRandom(42);
    double perClient = 0.3;
    int known = 1000;
    long[] nextKnown = new long[known];
    long[] nextNew = new long[strangers];
    for (int i = 0; i < known; i++) {
      nextKnown[i] = (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
    }
    for (int i = 0; i < strangers; i++) {
      nextNew[i] = START + (long) (r.nextDouble() * 1000 / perClient);
    }
    List<LegitimacyReading> readings = new ArrayList<>();
    for (long t = 0; t < END; t += 100) {
      for (int i = 0; i < known; i++) {
        while (nextKnown[i] < t + 100) {
          double own = i < knownBots && nextKnown[i] >= START ? shift : 0;
          scorer.observe(ip(1, i), nextKnown[i], true, attrs(ip(1, i), "agent-" + (i % 50), r, own));
          nextKnown[i] += (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
        }
      }
      if (t >= START) {
        for (int i = 0; i < strangers; i++) {
          while (nextNew[i] < t + 100) {
            String id = differs == Differs.NETWORKS ? "77." + (i % 20) + ".9." + (1 + i / 20) : ip(2, i);
            String agent = differs == Differs.USER_AGENT ? "bot/1.0" : "agent-" + (i % 50);
            scorer.observe(id, nextNew[i], true, attrs(id, agent, r, differs == Differs.PAYLOAD ? shift : 0));
            nextNew[i] += differs == Differs.TIMING ? (long) (1000 / perClient * (0.95 + 0.1 * r.nextDouble()))
                : (long) (-Math.log(1 - r.nextDouble()) / perClient * 1000);
          }
        }
      }
      if ((t + 100) % 5000 == 0) {
        readings.add(scorer.score(t + 100));
      }
    }
    return readings;
  }

  private static RequestAttributes attrs(String id, String agent, SplittableRandom r, double shift) {
    double[] x = new double[4];
    for (int f = 0; f < x.length; f++) {
      x[f] = r.nextDouble(-1, 1) + shift;
    }
    return new RequestAttributes(null, agent, null, null, x);
  }

  private static String ip(int pool, int i) {
    long h = ClientHash.mix(pool * 1_000_003L + i);
    return (11 + Long.remainderUnsigned(h, 200)) + "." + ((h >>> 16) & 0xff) + "." + ((h >>> 24) & 0xff) + "."
        + (1 + Long.remainderUnsigned(h >>> 32, 254));
  }

  private static LegitimacyReading settled(List<LegitimacyReading> readings) {
    return readings.get((int) ((START + 60_000) / 5000));
  }

  private static long attackWindows(List<LegitimacyReading> readings) {
    return readings.stream().filter(LegitimacyReading::attack).count();
  }

  @Test
  void aBotnetFromFewNetworksIsDeclaredAndSized() {
    LegitimacyReading r = settled(run(Differs.NETWORKS, DimensionParameters.defaults()));
    assertThat(r.reasons()).contains("NETWORK_CONCENTRATION");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.1, 0.35); // truth 0.2
    assertThat(r.signals()).containsKey("network_top_share_24_baseline");
  }

  @Test
  void aBotnetWithOneUserAgentIsDeclared() {
    LegitimacyReading r = settled(run(Differs.USER_AGENT, DimensionParameters.defaults()));
    assertThat(r.reasons()).contains("ATTRIBUTE_SHIFT");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.1, 0.35);
  }

  @Test
  void aPeriodicBotnetIsDeclared() {
    LegitimacyReading r = settled(run(Differs.TIMING, DimensionParameters.defaults()));
    assertThat(r.reasons()).contains("PERIODIC_CLIENTS");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.1, 0.4);
  }

  @Test
  void aBotnetWithShiftedPayloadsIsDeclared() {
    LegitimacyReading r = settled(run(Differs.PAYLOAD, DimensionParameters.defaults()));
    assertThat(r.reasons()).contains("PAYLOAD_DRIFT");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.1, 0.4);
  }

  @Test
  void aHalfShareBotnetWithShiftedPayloadsIsDeclaredFromItsNewClients() {
    // 300 req/s of bots on 300 req/s of known clients: the whole window's PSI stays under the threshold,
    // the never-seen clients' own PSI does not
    List<LegitimacyReading> readings = run(Differs.PAYLOAD, DimensionParameters.defaults(), 1000, 0.5, 0);
    LegitimacyReading r = settled(readings);
    assertThat(r.signals().get("payload_psi")).isLessThan(0.25);
    assertThat(r.signals().get("payload_psi_new_clients")).isGreaterThan(0.5);
    assertThat(r.reasons()).contains("PAYLOAD_DRIFT");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.35, 0.65); // truth 0.5
    // declared within 45 s of the start
    assertThat(readings.subList(0, (int) ((START + 45_000) / 5000) + 1)).anyMatch(LegitimacyReading::attack);
  }

  @Test
  void botsOnKnownIdentitiesSendingTheNewClientsShiftedPayloadsAreSized() {
    // 450 of 600 req/s carry the shifted features, 150 of them from cleared identities whose volume is
    // their usual one; the window is the reference mixed with the new clients' shape at 75 %
    LegitimacyReading r = settled(run(Differs.PAYLOAD, DimensionParameters.defaults(), 1000, 0.5, 500));
    assertThat(r.reasons()).contains("PAYLOAD_DRIFT");
    assertThat(r.attack()).isTrue();
    assertThat(r.score()).isBetween(0.1, 0.4); // truth 0.25
  }

  @Test
  void aCrowdOfStrangersEqualInEveryDimensionIsLeftAlone() {
    List<LegitimacyReading> readings = run(Differs.NOTHING, DimensionParameters.defaults());
    assertThat(attackWindows(readings)).isZero();
    assertThat(readings).allSatisfy(r -> assertThat(r.score()).isEqualTo(1.0));
    assertThat(readings.stream().flatMap(r -> r.reasons().stream()))
        .doesNotContain("NETWORK_CONCENTRATION", "ATTRIBUTE_SHIFT", "PERIODIC_CLIENTS", "PAYLOAD_DRIFT");
  }

  @Test
  void withTheDimensionsOffTheMimicryBotnetIsNotDeclared() {
    // the known limit the dimensions remove: rate and novelty alone see a crowd
    assertThat(attackWindows(run(Differs.NETWORKS, DimensionParameters.none()))).isZero();
  }

  @Test
  void prefixesOfIpv4AndIpv6AndNonAddresses() {
    assertThat(EvidenceDimensions.prefixKey("10.1.2.3", false)).isEqualTo(EvidenceDimensions.prefixKey("10.1.2.99", false))
        .isNotEqualTo(EvidenceDimensions.prefixKey("10.1.3.3", false));
    assertThat(EvidenceDimensions.prefixKey("10.1.2.3", true)).isEqualTo(EvidenceDimensions.prefixKey("10.1.200.3", true));
    assertThat(EvidenceDimensions.prefixKey("2a01:4f8:c0c:1::1", false))
        .isEqualTo(EvidenceDimensions.prefixKey("2a01:4f8:c0c:ffff::2", false))
        .isNotEqualTo(EvidenceDimensions.prefixKey("2a01:4f8:c0d:1::1", false));
    assertThat(EvidenceDimensions.prefixKey("alice", false)).isZero();
    assertThat(EvidenceDimensions.prefixKey("user-12", false)).isZero();
  }
}
