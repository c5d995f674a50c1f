package dev.legitscaler.scaler.legitimacy.scoring;

import static dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.BASE_CLIENTS;
import static dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.BASE_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Population;
import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clearing stays frozen while traffic surges without the flash-crowd signature, even when no attack is
 * declared: the clients on probation are then the surge's own. A surge with the flash-crowd signature
 * keeps clearing its newcomers.
 */
class ProbationDuringSurgeTest {
  private static final int START = 300;
  private static final int END = 600;

  /** The defaults, except that no attack can ever be declared: the surge stays unexplained. */
  private static ScorerParameters neverDeclares() {
    ScorerParameters d = ScorerParameters.defaults();
    return new ScorerParameters(d.bucket(), d.windowBuckets(), d.clearAfter(), d.attackHold(), d.warmup(),
        d.baselineHalfLife(), d.knownClientsCapacity(), d.knownClientsRetention(), d.maxNewClientsPerBucket(),
        d.heavyHitterSlots(), d.sampleCapacity(), d.historyCapacity(), d.heavyRateFactor(), d.madMultiplier(),
        d.minHeavyCount(), d.ownHistoryFactor(), d.minHistoryWindows(), d.surgeFactor(), d.heavyShareThreshold(),
        d.newShareThreshold(), d.newClientRateFactor(), d.entropyDrop(), d.invalidShareThreshold(),
        d.invalidTolerance(), 99, d.minAttackShare(), d.flashCrowdMaxSuspectShare(), d.minWindowRequests(),
        d.maxFlaggedClients());
  }

  private static List<Sample> run(Population extra) {
    List<Population> p = new ArrayList<>(SyntheticTraffic.steady(END + 120));
    p.add(extra);
    return SyntheticTraffic.run(new TrafficScorer(neverDeclares(), DimensionParameters.none()), p, END + 120, 13);
  }

  @Test
  void botsOfAnUndeclaredSurgeStayOnProbationUntilItEnds() {
    // 2000 never-seen bots at 3x the regular clients' rate (FAST_NEW_CLIENTS), never declared
    List<Sample> s = run(Population.attack("bot-", 2000, 0.31, START, END));
    List<Sample> during = s.stream().filter(x -> x.second() >= START + 45 && x.second() <= END - 15).toList();
    assertThat(during).isNotEmpty().allSatisfy(x -> {
      assertThat(x.reading().attack()).isFalse();
      assertThat(TrafficScorer.unexplainedSurge(java.util.EnumSet.copyOf(x.reading().reasons().stream()
          .map(Reason::valueOf).toList()))).as("t=%d %s", x.second(), x.reading().reasons()).isTrue();
      // bots are 620 of ~930 req/s: cleared bots would make this share fall to the churn's few %
      assertThat(x.reading().signals().get("new_client_share")).as("t=%d", x.second()).isGreaterThan(0.5);
    });
  }

  @Test
  void newcomersOfAFlashCrowdAreStillCleared() {
    List<Sample> s = run(Population.legit("crowd-", 2 * BASE_CLIENTS, BASE_RATE, START, END));
    Sample later = s.stream().filter(x -> x.second() == START + 90).findFirst().orElseThrow();
    assertThat(later.reading().reasons()).contains(Reason.FLASH_CROWD.name());
    assertThat(later.reading().signals().get("new_client_share")).isLessThan(0.2);
  }
}
