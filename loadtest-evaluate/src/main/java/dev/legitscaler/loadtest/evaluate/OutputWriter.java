package dev.legitscaler.loadtest.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes timeseries.csv and summary.json as docs/run-output.md defines them. */
public final class OutputWriter {
  /** The run-output columns evaluate has, in the contract's order (alerts and latency need a live run). */
  public static final String HEADER = "t_seconds,phase,target_rate,legit_rate,attack_rate,achieved_rate,replicas,"
      + "naive_replicas,needed_replicas,published_value,demand_load,demand_lag,legitimacy_score,attack_suspected,"
      + "load_max,load_mean,lag";

  private OutputWriter() {}

  public static void write(Path dir, Evaluator.Result result, Map<String, Object> summary) throws IOException {
    Files.createDirectories(dir);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("timeseries.csv"), StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (Evaluator.Second s : result.seconds()) {
        w.write(row(s));
        w.write('\n');
      }
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("summary.json").toFile(), summary);
  }

  static String row(Evaluator.Second s) {
    StringBuilder b = new StringBuilder(160);
    b.append(s.t()).append(',').append(csv(s.phase())).append(',')
        .append(num(s.targetRate())).append(',').append(num(s.legitRate())).append(',').append(num(s.attackRate()))
        .append(',').append(s.achieved()).append(',').append(s.replicas()).append(',').append(s.naiveReplicas())
        .append(',').append(s.needed()).append(',').append(s.published() < 0 ? "" : Long.toString(s.published()))
        .append(',').append(num(s.demandLoad())).append(',').append(num(s.demandLag())).append(',')
        .append(num(s.score())).append(',').append(s.attackSuspected() ? 1 : 0).append(',')
        .append(num(s.load())).append(',').append(num(s.load())).append(',').append(s.lag());
    return b.toString();
  }

  private static String num(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "";
    }
    return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String csv(String s) {
    if (s == null) {
      return "";
    }
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
