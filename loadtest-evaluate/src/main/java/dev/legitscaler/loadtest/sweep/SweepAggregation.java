package dev.legitscaler.loadtest.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arithmetic from cell outcomes to the table's rows: pure functions. */
public final class SweepAggregation {
  private SweepAggregation() {}

  /** One row per class, in the order the classes first appear among the outcomes. */
  public static List<ClassRow> byClass(List<CellOutcome> outcomes, long detectionBoundSeconds) {
    Map<SurgeKind, List<CellOutcome>> groups = new LinkedHashMap<>();
    for (CellOutcome o : outcomes) {
      groups.computeIfAbsent(o.cell().kind(), k -> new ArrayList<>()).add(o);
    }
    List<ClassRow> rows = new ArrayList<>();
    groups.forEach((kind, cells) -> rows.add(row(kind.className(), kind.attack(), cells, detectionBoundSeconds)));
    return rows;
  }

  /**
   * One row per value of {@code key} (named by it) over the botnet cells that something separates from a
   * crowd: every botnet class but the indistinguishable one (no differing dimension at the population's
   * own per-client rate), which would only dilute the margin it is compared with.
   */
  public static List<ClassRow> margin(List<CellOutcome> outcomes, java.util.function.Function<SweepCell, String> key,
      long detectionBoundSeconds) {
    Map<String, List<CellOutcome>> groups = new LinkedHashMap<>();
    for (CellOutcome o : outcomes) {
      if (o.cell().kind() instanceof SurgeKind.Botnet b && !indistinguishable(b)) {
        groups.computeIfAbsent(key.apply(o.cell()), k -> new ArrayList<>()).add(o);
      }
    }
    List<ClassRow> rows = new ArrayList<>();
    groups.forEach((name, cells) -> rows.add(row(name, true, cells, detectionBoundSeconds)));
    return rows;
  }

  /** Bots equal to the population in every dimension, at its own per-client rate. */
  public static boolean indistinguishable(SurgeKind.Botnet b) {
    return b.differs() == DifferingDimension.NONE && b.rateRatio() <= 1.0;
  }

  /**
   * A class's row. The false-positive rate pools the windows of all cells (each window weighs the same);
   * the wasted ratio is the ratio of the sums (each replica-minute weighs the same).
   */
  public static ClassRow row(String className, boolean attack, List<CellOutcome> cells, long detectionBoundSeconds) {
    int detected = 0;
    List<Long> delays = new ArrayList<>();
    int windows = 0;
    int low = 0;
    double legit = 0;
    double naive = 0;
    for (CellOutcome c : cells) {
      if (c.detectionSeconds() != null) {
        delays.add(c.detectionSeconds());
        if (c.detectionSeconds() <= detectionBoundSeconds) {
          detected++;
        }
      }
      windows += c.windows();
      low += c.lowScoreWindows();
      legit += c.legitWasted();
      naive += c.naiveWasted();
    }
    Double rate = attack && !cells.isEmpty() ? detected / (double) cells.size() : null;
    return new ClassRow(className, attack, cells.size(), detected, rate, median(delays), windows, low,
        windows == 0 ? null : low / (double) windows, legit, naive, naive > 0 ? legit / naive : null);
  }

  /** The median (the mean of the two middle values for an even count); null for none. */
  public static Double median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2).doubleValue() : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
