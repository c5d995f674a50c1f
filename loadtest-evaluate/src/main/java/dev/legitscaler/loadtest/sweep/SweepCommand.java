package dev.legitscaler.loadtest.sweep;

import dev.legitscaler.loadtest.evaluate.EvaluateCommand;
import dev.legitscaler.loadtest.evaluate.EvaluationSettings;
import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.report.SweepReport;
import dev.legitscaler.loadtest.scenario.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadtest sweep}: the scorer's operating curve over a seeded scenario family. Exit 0, or 2 on bad input. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a seeded family of scenarios (surge share x per-client rate ratio x novelty x which dimension the bots"
          + " differ in, and the same surges as legitimate flash crowds) through `evaluate`'s offline simulation and"
          + " prints, per class, detection rate, false-positive rate and wasted replica-minutes against the naive policy.",
      "Writes DIR/sweep.json and DIR/report.html (docs/evaluate.md, \"Operating curve\")."
    })
public final class SweepCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if missing)")
  Path out;

  @Option(names = "--scaled-object", paramLabel = "FILE",
      description = "ScaledObject manifest (default: " + Scenario.DEFAULT_SCALED_OBJECT + ", looked up from the current folder upwards)")
  Path scaledObjectArg;

  @Option(names = "--seed", defaultValue = "1400", description = "seed of the first cell (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--threads", defaultValue = "2",
      description = "cells evaluated at once; the results do not depend on it (default: ${DEFAULT-VALUE})")
  int threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScaledObject so;
    Path soPath;
    try {
      if (threads < 1) {
        throw new InputException("--threads must be >= 1, was " + threads);
      }
      soPath = scaledObjectArg != null ? scaledObjectArg
          : EvaluateCommand.locate("", Scenario.DEFAULT_SCALED_OBJECT);
      so = ScaledObjectReader.read(soPath);
    } catch (InputException | IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    SweepFamily family = SweepFamily.standard(seed);
    stdout.printf("sweep: %d scenarios of %d s each on %d thread(s)%n", family.cells().size(),
        family.duration().toSeconds(), threads);
    stdout.flush();
    Sweep.Result result;
    try {
      result = Sweep.run(family, so, EvaluationSettings.defaults(), threads);
    } catch (InputException e) {
      err.println(e.getMessage());
      return 2;
    }
    SweepOutput.print(stdout, result);
    SweepOutput.write(out, result, soPath.toString());
    Path report = SweepReport.write(out);
    stdout.println("sweep: wrote " + out.resolve(SweepOutput.FILE) + " and " + report);
    stdout.flush();
    return 0;
  }
}
