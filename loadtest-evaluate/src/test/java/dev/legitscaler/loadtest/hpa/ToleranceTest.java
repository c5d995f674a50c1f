package dev.legitscaler.loadtest.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both tolerance forms; the rows at exactly 1.1 are the ones that tell them apart. */
class ToleranceTest {

  @Test
  void theEdgeIsWhereTheFormsDisagree() {
    // the doubles behind the 1.1 rows: the old form sees a distance a hair above 0.1
    assertThat(Math.abs(1.0 - 1.1)).isGreaterThan(0.1);
    assertThat(1.1 <= 1.0 + 0.1).isTrue();
    assertThat(440_000.0 / (100_000.0 * 4.0)).isEqualTo(1.1);
  }

  /** Full reconciles: current replicas, target type, T, U; down/up tolerances; expected replicas. */
  @ParameterizedTest(name = "{0} tol -{1}/+{2}: {4} T={5} U={6} current={3} -> {7}")
  @CsvSource(delimiter = '|', textBlock = """
      1.32 | 0.1  | 0.1 | 4  | AverageValue | 100 | 440  | 5
      1.33 | 0.1  | 0.1 | 4  | AverageValue | 100 | 440  | 4
      1.32 | 0.1  | 0.1 | 4  | Value        | 1   | 1.1  | 5
      1.33 | 0.1  | 0.1 | 4  | Value        | 1   | 1.1  | 4
      1.32 | 0.1  | 0.1 | 4  | AverageValue | 100 | 360  | 4
      1.33 | 0.1  | 0.1 | 4  | AverageValue | 100 | 360  | 4
      1.32 | 0.1  | 0.1 | 4  | AverageValue | 100 | 441  | 5
      1.33 | 0.1  | 0.1 | 4  | AverageValue | 100 | 441  | 5
      1.33 | 0.1  | 0.2 | 10 | AverageValue | 100 | 1150 | 10
      1.33 | 0.1  | 0.1 | 10 | AverageValue | 100 | 1150 | 12
      1.33 | 0.1  | 0.2 | 10 | AverageValue | 100 | 850  | 9
      1.33 | 0.2  | 0.1 | 10 | AverageValue | 100 | 850  | 10
      1.32 | 0.2  | 0.2 | 10 | AverageValue | 100 | 850  | 10
      1.32 | 0.05 | 0.05 | 4 | AverageValue | 100 | 420  | 5
      """)
  void forms(String form, double down, double up, int current, String type, String target, String usage, int expected) {
    ControllerConfig config = new ControllerConfig(Duration.ofSeconds(15), Duration.ofMinutes(5), ToleranceForm.parse(form), down, up);
    HpaSpec spec = new HpaSpec(1, 20, List.of(HpaCasesTest.metric("m", type, target)), Optional.empty());
    HpaController c = new HpaController(spec, config, new MutableClock(HpaCasesTest.T0), HpaHistory.ofRecommendations(List.of()));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current), name -> MetricReading.Values.of(Quantities.parseMilli(usage)));
    assertThat(r.desiredReplicas()).isEqualTo(expected);
  }
}
