package dev.legitscaler.loadtest.run;

import static dev.legitscaler.loadtest.run.VerdictTest.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgreementTest {
  // 600 s; offline: 4 for 300 s, 6 for 300 s (needed 4 throughout: 10 wasted replica-minutes offline)
  static final String OFFLINE = "4x300 6x300";
  static final String NEEDED = "4x600";

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, live, liveDetection, offlineDetection, share, replicas, wasted, detection
        Arguments.of("identical", OFFLINE, 20.0, 20.0, 1.0, true, true, true),
        Arguments.of("one replica above throughout", "5x300 7x300", 20.0, 20.0, 1.0, true, false, true),
        Arguments.of("two above for 20 % of the time", "4x300 6x180 8x120", 20.0, 20.0, 0.8, false, false, true),
        Arguments.of("two above for 10 %: still 90 % within one", "4x300 6x240 8x60", 20.0, 20.0, 0.9, true, true, true),
        Arguments.of("live missing for half the run", "-x300 6x300", 20.0, 20.0, 0.5, false, true, true),
        Arguments.of("detection 15 s later: refresh 5 s + 10 s", OFFLINE, 35.0, 20.0, 1.0, true, true, true),
        Arguments.of("detection 16 s later", OFFLINE, 36.0, 20.0, 1.0, true, true, false),
        Arguments.of("never detected live", OFFLINE, null, 20.0, 1.0, true, true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agreement(String name, String live, Double liveDetection, Double offlineDetection, double share,
      boolean replicas, boolean wasted, boolean detection) {
    Agreement g = Agreement.of(line(live), line(OFFLINE), line(NEEDED), liveDetection, offlineDetection, 5, true);
    assertThat(g.replicasWithinOneShare()).isCloseTo(share, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(g.replicasAgree()).isEqualTo(replicas);
    assertThat(g.wastedAgree()).isEqualTo(wasted);
    assertThat(g.detectionAgree()).isEqualTo(detection);
    assertThat(g.wasted().offline()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(g.agrees()).isEqualTo(replicas && wasted && g.underAgree() && detection);
  }

  static Stream<Arguments> closeness() {
    return Stream.of(
        Arguments.of(10.0, 12.0, true), // 20 %
        Arguments.of(10.0, 12.6, false),
        Arguments.of(0.0, 1.0, true), // 1 replica-minute
        Arguments.of(0.0, 1.01, false),
        Arguments.of(50.0, 41.0, true));
  }

  @ParameterizedTest(name = "{0} vs {1}")
  @MethodSource("closeness")
  void replicaMinutesWithinTwentyPercentOrOne(double live, double offline, boolean close) {
    assertThat(new Agreement.Pair(live, offline).close()).isEqualTo(close);
  }

  @org.junit.jupiter.api.Test
  void withoutAnAttackDetectionAgreesTrivially() {
    Agreement g = Agreement.of(line(OFFLINE), line(OFFLINE), line(NEEDED), null, null, 5, false);
    assertThat(g.detectionAgree()).isTrue();
    assertThat(g.agrees()).isTrue();
  }
}
