package dev.legitscaler.loadtest.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sweep's printed table and {@code sweep.json} (docs/evaluate.md, "Operating curve"). */
public final class SweepOutput {
  public static final String FILE = "sweep.json";

  private SweepOutput() {}

  public static void print(PrintWriter o, Sweep.Result r) {
    table(o, "class", r.classes());
    o.println();
    List<ClassRow> margins = new ArrayList<>(r.byNovelty());
    margins.addAll(r.byAttackShare());
    table(o, "bots a dimension or the rate separates, by", margins);
    o.flush();
  }

  private static void table(PrintWriter o, String title, List<ClassRow> rows) {
    o.printf(Locale.ROOT, "%-42s %5s %9s %8s %18s %8s %8s %7s%n", title, "cells", "det<=60s", "median",
        "FP (s<0.9)", "wasted", "naive", "ratio");
    for (ClassRow c : rows) {
      o.printf(Locale.ROOT, "%-42s %5d %9s %8s %18s %8.1f %8.1f %7s%n", c.className(), c.cells(),
          c.detectionRate() == null ? "-" : String.format(Locale.ROOT, "%.0f %%", c.detectionRate() * 100),
          c.medianDetectionSeconds() == null ? "-" : String.format(Locale.ROOT, "%.0f s", c.medianDetectionSeconds()),
          c.falsePositiveRate() == null ? "-" : String.format(Locale.ROOT, "%.1f %% (%d/%d)",
              c.falsePositiveRate() * 100, c.lowScoreWindows(), c.windows()),
          c.legitWasted(), c.naiveWasted(),
          c.wastedRatio() == null ? "-" : String.format(Locale.ROOT, "%.2f", c.wastedRatio()));
    }
  }

  public static Path write(Path dir, Sweep.Result r, String scaledObject) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), document(r, scaledObject));
    return file;
  }

  static Map<String, Object> document(Sweep.Result r, String scaledObject) {
    SweepFamily f = r.family();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("seed", f.seed());
    params.put("surgeShares", f.surgeShares());
    params.put("rateRatios", f.rateRatios());
    params.put("novelties", f.novelties().stream().map(Novelty::keyword).toList());
    params.put("dimensions", f.dimensions().stream().map(DifferingDimension::keyword).toList());
    params.put("crowds", f.crowds());
    params.put("baselineSeconds", f.baseline().toSeconds());
    params.put("surgeSeconds", f.surge().toSeconds());
    params.put("rampUpSeconds", f.rampUp().toSeconds());
    params.put("afterSeconds", f.after().toSeconds());
    params.put("detectionBoundSeconds", Sweep.DETECTION_BOUND.toSeconds());
    params.put("scaledObject", scaledObject);

    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("mode", "sweep");
    doc.put("params", params);
    doc.put("classes", rows(r.classes()));
    doc.put("byNovelty", rows(r.byNovelty()));
    doc.put("byAttackShare", rows(r.byAttackShare()));
    doc.put("cells", cells(r.cells()));
    return doc;
  }

  private static List<Map<String, Object>> rows(List<ClassRow> rows) {
    List<Map<String, Object>> classes = new ArrayList<>();
    for (ClassRow c : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("class", c.className());
      m.put("attack", c.attack());
      m.put("cells", c.cells());
      m.put("detected", c.detected());
      m.put("detectionRate", c.detectionRate());
      m.put("medianDetectionSeconds", c.medianDetectionSeconds());
      m.put("windows", c.windows());
      m.put("lowScoreWindows", c.lowScoreWindows());
      m.put("falsePositiveRate", c.falsePositiveRate());
      m.put("legitWastedReplicaMinutes", round(c.legitWasted()));
      m.put("naiveWastedReplicaMinutes", round(c.naiveWasted()));
      m.put("wastedRatio", c.wastedRatio() == null ? null : round(c.wastedRatio()));
      classes.add(m);
    }
    return classes;
  }

  private static List<Map<String, Object>> cells(List<CellOutcome> outcomes) {
    List<Map<String, Object>> cells = new ArrayList<>();
    for (CellOutcome o : outcomes) {
      SweepCell c = o.cell();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", c.name());
      m.put("class", c.kind().className());
      m.put("attackShare", c.attackShare());
      m.put("surgeShare", c.surgeShare());
      m.put("rateRatio", c.kind() instanceof SurgeKind.Botnet b ? b.rateRatio() : null);
      m.put("novelty", c.novelty().keyword());
      m.put("differs", c.kind() instanceof SurgeKind.Botnet b ? b.differs().keyword() : null);
      m.put("seed", c.seed());
      m.put("detectionSeconds", o.detectionSeconds());
      m.put("windows", o.windows());
      m.put("lowScoreWindows", o.lowScoreWindows());
      m.put("legitWastedReplicaMinutes", round(o.legitWasted()));
      m.put("naiveWastedReplicaMinutes", round(o.naiveWasted()));
      m.put("replicasMax", o.replicasMax());
      m.put("naiveReplicasMax", o.naiveReplicasMax());
      m.put("minScore", round(o.minScore()));
      cells.add(m);
    }
    return cells;
  }

  private static double round(double d) {
    return Math.round(d * 1000.0) / 1000.0;
  }
}
