package dev.legitscaler.scaler.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The state carried between decisions: what a published or unavailable decision leaves for the next. */
class DecisionStateTest {
  record Case(String name, DecisionState before, DecisionInput input, OptionalLong lastPublishedAfter) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    DecisionState published5 = new DecisionState(OptionalLong.of(5), new SuspectBacklog(100, 40));
    return Stream.of(
        new Case("initial, available: publishes", DecisionState.INITIAL,
            new DecisionInput(DecisionTest.load(0.7, 0.7, 0.7, 0.7, 0.7), DecisionTest.lag(20),
                DecisionTest.legit(1, 0), DecisionState.INITIAL), OptionalLong.of(5)),
        new Case("initial, nothing fresh: stays empty", DecisionState.INITIAL,
            new DecisionInput(DecisionTest.pending(), DecisionTest.pending(), DecisionTest.off(),
                DecisionState.INITIAL), OptionalLong.empty()),
        new Case("published, now unavailable: keeps the last value", published5,
            new DecisionInput(DecisionTest.stale(), DecisionTest.stale(), DecisionTest.off(), published5),
            OptionalLong.of(5)),
        new Case("published, available again: the new value", published5,
            new DecisionInput(DecisionTest.load(0.7, 0.7, 0.7, 0.7), DecisionTest.lag(200), DecisionTest.legit(1, 0),
                published5), OptionalLong.of(6)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void afterCarriesThePublishedValueAndTheResultsBacklog(Case c) {
    DecisionResult result = Decision.decide(DecisionTest.REPLICAS, c.input());
    DecisionState next = c.before().after(result);
    assertThat(next.lastPublished()).isEqualTo(c.lastPublishedAfter());
    assertThat(next.backlog()).isEqualTo(result.backlog());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theInputCarriesTheStateItWasGiven(Case c) {
    assertThat(c.input().lastPublished()).isEqualTo(c.before().lastPublished());
    assertThat(c.input().backlog()).isEqualTo(c.before().backlog());
  }
}
