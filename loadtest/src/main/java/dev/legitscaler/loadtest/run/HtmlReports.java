package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.report.HtmlReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Writes DIR/report.html from the run's summary.json and timeseries.csv. */
final class HtmlReports {
  private HtmlReports() {}

  /** A failing report is reported but does not lose the run: the data files are already written. */
  static void write(Path dir, PrintStream say) {
    try {
      HtmlReport.write(dir);
    } catch (IOException | RuntimeException e) {
      say.println("run: writing the report failed: " + e);
    }
  }
}
