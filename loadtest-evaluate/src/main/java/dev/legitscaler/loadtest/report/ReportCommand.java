package dev.legitscaler.loadtest.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** (Re)writes report.html of an existing run folder, e.g. after a run was copied off the machine. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Writes DIR/report.html (self-contained, opens offline) from DIR/summary.json and DIR/timeseries.csv.")
public final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "output folder of `loadtest run` or `loadtest evaluate`")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir)
        || !(Files.isRegularFile(dir.resolve("summary.json")) || Files.isRegularFile(dir.resolve("timeseries.csv")))) {
      System.err.println("report: " + dir + " holds neither summary.json nor timeseries.csv");
      return 2;
    }
    Path out = HtmlReport.write(dir);
    System.out.println("report: wrote " + out);
    return 0;
  }
}
