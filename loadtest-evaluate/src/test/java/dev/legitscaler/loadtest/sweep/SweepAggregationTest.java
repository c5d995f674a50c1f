package dev.legitscaler.loadtest.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SweepAggregationTest {

  private static final SurgeKind BOTS = new SurgeKind.Botnet(DifferingDimension.NETWORKS, 3.0);
  private static final SurgeKind CROWD = new SurgeKind.Crowd();

  /** A cell outcome: detection (null = never), windows, low-score windows, wasted legit, wasted naive. */
  private static CellOutcome cell(SurgeKind kind, Long detection, int windows, int low, double legit, double naive) {
    return new CellOutcome(new SweepCell(kind, 0.8, Novelty.NEW, 1), detection, windows, low, legit, naive, 6, 6, 1.0);
  }

  record Case(String name, boolean attack, List<CellOutcome> cells, Double detectionRate, Integer detected,
      Double median, Double falsePositiveRate, Double wastedRatio, double legit, double naive) {}

  static Stream<Arguments> cases() {
    return Stream.of(
        new Case("all detected within the bound, odd count", true,
            List.of(cell(BOTS, 20L, 100, 0, 1, 10), cell(BOTS, 40L, 100, 1, 2, 10), cell(BOTS, 30L, 100, 2, 0, 10)),
            1.0, 3, 30.0, 3 / 300.0, 3 / 30.0, 3, 30),
        new Case("one late, one never: the median is over the declared ones (even count)", true,
            List.of(cell(BOTS, 20L, 50, 0, 5, 10), cell(BOTS, 90L, 50, 0, 10, 10), cell(BOTS, null, 50, 0, 10, 10)),
            1 / 3.0, 1, 55.0, 0.0, 25 / 30.0, 25, 30),
        new Case("exactly on the bound counts as detected", true,
            List.of(cell(BOTS, 60L, 10, 0, 0, 4), cell(BOTS, 61L, 10, 0, 0, 4)),
            0.5, 1, 60.5, 0.0, 0.0, 0, 8),
        new Case("never declared: no median, waste as naive", true,
            List.of(cell(BOTS, null, 40, 0, 7, 7), cell(BOTS, null, 60, 0, 3, 3)),
            0.0, 0, null, 0.0, 1.0, 10, 10),
        new Case("windows pool across cells (not a mean of shares)", false,
            List.of(cell(CROWD, null, 10, 1, 0, 0), cell(CROWD, null, 90, 0, 0, 0)),
            null, 0, null, 0.01, null, 0, 0),
        new Case("no windows: no false-positive rate", false,
            List.of(cell(CROWD, null, 0, 0, 1, 2)),
            null, 0, null, null, 0.5, 1, 2))
        .map(c -> Arguments.of(c.name(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aggregatesAClass(String name, Case c) {
    ClassRow row = SweepAggregation.row("class", c.attack(), c.cells(), 60);
    assertThat(row.cells()).isEqualTo(c.cells().size());
    assertThat(row.detected()).isEqualTo(c.detected());
    check(row.detectionRate(), c.detectionRate());
    check(row.medianDetectionSeconds(), c.median());
    check(row.falsePositiveRate(), c.falsePositiveRate());
    check(row.wastedRatio(), c.wastedRatio());
    assertThat(row.legitWasted()).isCloseTo(c.legit(), within(1e-9));
    assertThat(row.naiveWasted()).isCloseTo(c.naive(), within(1e-9));
  }

  private static void check(Double actual, Double expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).isNotNull();
      assertThat(actual).isCloseTo(expected, within(1e-9));
    }
  }

  static Stream<Arguments> medians() {
    return Stream.of(
        Arguments.of(new Long[] {}, null),
        Arguments.of(new Long[] {7L}, 7.0),
        Arguments.of(new Long[] {9L, 1L}, 5.0),
        Arguments.of(new Long[] {5L, 1L, 9L}, 5.0),
        Arguments.of(new Long[] {4L, 1L, 3L, 100L}, 3.5));
  }

  @ParameterizedTest(name = "median of {0}")
  @MethodSource("medians")
  void median(Long[] values, Double expected) {
    check(SweepAggregation.median(new ArrayList<>(Arrays.asList(values))), expected);
  }

  @org.junit.jupiter.api.Test
  void marginsLeaveOutTheCrowdAndTheIndistinguishableClass() {
    SurgeKind none = new SurgeKind.Botnet(DifferingDimension.NONE, 1.0);
    SurgeKind fast = new SurgeKind.Botnet(DifferingDimension.NONE, 3.0);
    List<CellOutcome> cells = List.of(cell(CROWD, null, 10, 1, 0, 1), cell(none, null, 10, 0, 2, 2),
        cell(fast, 20L, 10, 0, 0, 2), cell(BOTS, 90L, 10, 0, 1, 2));
    List<ClassRow> rows = SweepAggregation.margin(cells, c -> "all", 60);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).cells()).isEqualTo(2);
    assertThat(rows.get(0).detectionRate()).isEqualTo(0.5);
    assertThat(rows.get(0).wastedRatio()).isEqualTo(0.25);
  }

  @org.junit.jupiter.api.Test
  void groupsByClassInFirstAppearanceOrder() {
    SurgeKind none = new SurgeKind.Botnet(DifferingDimension.NONE, 1.0);
    List<ClassRow> rows = SweepAggregation.byClass(List.of(cell(CROWD, null, 10, 0, 0, 1), cell(none, null, 10, 0, 2, 2),
        cell(CROWD, null, 10, 1, 0, 1), cell(BOTS, 10L, 10, 0, 0, 2), cell(none, 30L, 10, 0, 1, 2)), 60);
    assertThat(rows).extracting(ClassRow::className).containsExactly(CROWD.className(), none.className(),
        BOTS.className());
    assertThat(rows).extracting(ClassRow::cells).containsExactly(2, 2, 1);
    assertThat(rows.get(0).detectionRate()).isNull();
    assertThat(rows.get(1).detectionRate()).isEqualTo(0.5);
    assertThat(rows.get(0).falsePositiveRate()).isEqualTo(0.05);
  }
}
