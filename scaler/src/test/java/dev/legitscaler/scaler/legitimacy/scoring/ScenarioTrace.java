package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.ArrayList;
import java.util.List;

/** Prints a scenario's readings, one line per refresh; for tuning and for docs, not run by surefire. */
public final class ScenarioTrace {
  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "heavy";
    int from = args.length > 1 ? Integer.parseInt(args[1]) : 280;
    int to = args.length > 2 ? Integer.parseInt(args[2]) : 700;
    ScorerScenarioTest.Scenario sc = ScorerScenarioTest.scenarios().stream()
        .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    List<SyntheticTraffic.Sample> samples = SyntheticTraffic.run(new TrafficScorer(), sc.populations(), sc.seconds(), 42);
    for (SyntheticTraffic.Sample s : samples) {
      if (s.second() < from || s.second() > to) {
        continue;
      }
      System.out.printf("%5d s=%.3f truth=%.3f att=%s unsc=%.2f trusted=%.2f %s %s%n", s.second(), s.reading().score(),
          s.trueLegitShare(), s.reading().attack() ? "Y" : "-", s.reading().unscoredShare(), s.trusted(),
          s.reading().reasons(), fmt(s.reading().signals()));
    }
  }

  private static String fmt(java.util.Map<String, Double> m) {
    List<String> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(k + "=" + String.format("%.3g", v)));
    return String.join(" ", out);
  }
}
