package dev.legitscaler.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VerdictTest {
  /**
   * A line of one value per second written as "value×seconds" segments, e.g. "4x10 5x5" = ten seconds
   * at 4, then five at 5; "-" stands for a second without a sample.
   */
  static List<Integer> line(String spec) {
    List<Integer> out = new ArrayList<>();
    for (String seg : spec.trim().split("\\s+")) {
      String[] p = seg.split("x");
      Integer v = p[0].equals("-") ? null : Integer.valueOf(p[0]);
      for (int i = 0; i < Integer.parseInt(p[1]); i++) {
        out.add(v);
      }
    }
    return out;
  }

  // the crowd runs over seconds [10, 30)
  static Stream<Arguments> flashCrowds() {
    return Stream.of(
        Arguments.of("needed 6, scaled 4 -> 6 during the crowd", "4x15 5x5 6x20", "4x10 6x20 4x10",
            Verdict.Outcome.HELD, "the flash crowd got its replicas"),
        Arguments.of("already at 6 when it began: vacuous, not claimed", "6x40", "4x10 6x20 4x10",
            Verdict.Outcome.NOT_TESTED, "nothing to add"),
        Arguments.of("needed no more than the minimum", "4x40", "4x40", Verdict.Outcome.NOT_TESTED, "not tested"),
        Arguments.of("reached only 5 of the 6 needed", "4x15 5x25", "4x10 6x20 4x10",
            Verdict.Outcome.FAILED, "UNDER-PROVISIONED"),
        Arguments.of("reached 6 only after the crowd ended", "4x30 6x10", "4x10 6x20 4x10",
            Verdict.Outcome.FAILED, "UNDER-PROVISIONED"),
        Arguments.of("no samples", "-x40", "4x10 6x20 4x10", Verdict.Outcome.NOT_TESTED, "no replica samples"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flashCrowds")
  void flashCrowd(String name, String replicas, String needed, Verdict.Outcome outcome, String says) {
    Verdict.Line l = Verdict.flashCrowd(line(replicas), line(needed), 10, 30);
    assertThat(l.outcome()).isEqualTo(outcome);
    assertThat(l.text()).contains(says);
    if (outcome != Verdict.Outcome.HELD) {
      assertThat(l.text()).doesNotContain("got its replicas");
    }
  }

  // the attack runs over seconds [10, 30); legitimate traffic needs 4 throughout
  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of("naive bought 2, legit none", "4x40", "4x12 5x8 6x20", "4x40",
            Verdict.Outcome.HELD, "no replica bought for the attack"),
        Arguments.of("naive bought none either: not claimed", "4x40", "4x40", "4x40",
            Verdict.Outcome.NOT_TESTED, "not tested"),
        Arguments.of("both at the maximum already: not claimed", "6x40", "6x40", "4x40",
            Verdict.Outcome.NOT_TESTED, "not tested"),
        Arguments.of("legit at its maximum, naive bought: vacuous, not claimed", "6x40", "4x12 6x28", "4x40",
            Verdict.Outcome.NOT_TESTED, "already at its maximum"),
        Arguments.of("legit bought one", "4x15 5x25", "4x12 6x28", "4x40", Verdict.Outcome.FAILED, "BOUGHT 1 REPLICA"),
        Arguments.of("legit rose only to what the legitimate traffic needed", "4x15 5x25", "4x12 6x28", "4x15 5x25",
            Verdict.Outcome.HELD, "no replica bought"),
        Arguments.of("no naive line", "4x40", "-x40", "4x40", Verdict.Outcome.NOT_TESTED, "no naive policy"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void attack(String name, String legit, String naive, String needed, Verdict.Outcome outcome, String says) {
    Verdict.Line l = Verdict.attack(line(legit), line(naive), line(needed), 10, 30, 6);
    assertThat(l.outcome()).isEqualTo(outcome);
    assertThat(l.text()).contains(says);
    if (outcome != Verdict.Outcome.HELD) {
      assertThat(l.text()).doesNotContain("no replica bought");
    }
  }

  @ParameterizedTest(name = "live {0}, offline {1} -> {2}")
  @CsvSource(nullValues = "null", value = {
      "20.0, 20.0, detection 20 s vs 20 s",
      "70.0, 60.0, detection 70 s vs 60 s",
      "null, 60.0, detection never vs 60 s",
      "null, null, no attack detected live or offline",
  })
  void theAgreementLineNamesASideThatDetectedNothing(Double live, Double offline, String expected) {
    assertThat(Verdict.detectionPair(live, offline)).isEqualTo(expected);
  }
}
