package dev.legitscaler.loadtest.evaluate;

import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.mlflow.MlflowOptions;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.loadtest.scenario.ScenarioException;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loadtest evaluate}: the scenario offline, in simulated time, through the scaler's own scorer
 * and decision and the HPA emulator, compared with a naive load-only policy. Exit codes: 0 every
 * expectation passed, 1 one failed, 2 bad input, 3 the results were written but MLflow logging failed.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a scenario offline in simulated time through the scaler's own legitimacy scorer and decision and the"
          + " HPA emulator, next to a naive load-only policy (an hour of traffic takes seconds).",
      "Writes DIR/summary.json, DIR/timeseries.csv and DIR/report.html (docs/run-output.md, docs/evaluate.md).",
      "Exit: 0 expectations passed, 1 an expectation failed, 2 bad input, 3 MLflow logging failed."
    })
public final class EvaluateCommand implements Callable<Integer> {
  /** Version recorded in summary params. */
  static final String VERSION = "0.1.0";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file or built-in name")
  String scenarioArg;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if missing)")
  Path out;

  @Option(names = "--scaled-object", paramLabel = "FILE",
      description = "ScaledObject manifest (default: the scenario's scaledObject, looked up from the current folder upwards)")
  Path scaledObjectArg;

  @Option(names = "--duration", description = "simulate this much scenario time instead of the scenario's, e.g. 24h")
  String duration;

  @Option(names = "--pod-start-delay", defaultValue = "30s",
      description = "time from a replica being added to it serving (default: ${DEFAULT-VALUE})")
  String podStartDelay;

  @Option(names = "--partitions", defaultValue = "12",
      description = "partitions of the request topic; KEDA caps the lag at partitions x lagThreshold (default: ${DEFAULT-VALUE})")
  int partitions;

@picocli.CommandLine.Mixin
  MlflowOptions mlflow = new MlflowOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario scenario;
    ScaledObject so;
    Path soPath;
    EvaluationSettings settings;
    try {
      scenario = new ScenarioLoader().load(scenarioArg);
      if (duration != null) {
        scenario = scenario.withDuration(duration("--duration", duration));
      }
      settings = new EvaluationSettings(duration("--pod-start-delay", podStartDelay), partitions, Duration.ofMillis(100));
      soPath = scaledObjectArg != null ? scaledObjectArg : locate(scenarioArg, scenario.scaledObjectOrDefault());
      so = ScaledObjectReader.read(soPath);
      java.util.Optional<String> badMlflow = mlflow.validate();
      if (badMlflow.isPresent()) {
        throw new InputException(badMlflow.get());
      }
    } catch (ScenarioException | InputException | IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }

    Evaluator.Result result;
    try {
      result = Evaluator.run(scenario, so, settings);
    } catch (InputException e) {
      err.println(e.getMessage());
      return 2;
    }
    Summary.Computed computed = Summary.compute(result);
    String soLabel = scaledObjectArg != null ? scaledObjectArg.toString() : scenario.scaledObjectOrDefault();
    OutputWriter.write(out, result, Summary.document(result, computed, soLabel, VERSION));
    dev.legitscaler.loadtest.report.HtmlReport.write(out);
    print(stdout, scenario, computed);
    int code = computed.expectationsPassed() ? 0 : 1;

    code = mlflow.logIfRequested(out, scenario.name() + "-evaluate", Map.of("command", "evaluate"), code, stdout, err);
    stdout.flush();
    return code;
  }

  private static void print(PrintWriter o, Scenario scenario, Summary.Computed c) {
    o.printf(Locale.ROOT, "evaluate %s: replicas %d..%d (naive %d..%d); wasted replica-min %.2f vs naive %.2f;"
            + " under-provisioned %.2f vs %.2f; detection %s s; recovery %s s; low-score legit windows %.2f %%%n",
        scenario.name(), c.legit().replicasMin(), c.legit().replicasMax(), c.naive().replicasMin(), c.naive().replicasMax(),
        c.legit().wastedReplicaMinutes(), c.naive().wastedReplicaMinutes(), c.legit().underProvisionedReplicaMinutes(),
        c.naive().underProvisionedReplicaMinutes(), c.detectionDelaySeconds(), c.recoverySeconds(),
        c.legitOnlyLowScoreWindowShare() * 100);
    for (Summary.Check k : c.checks()) {
      o.println("  " + (k.passed() ? "PASS " : "FAIL ") + k.name() + ": " + k.detail());
    }
  }

  private static Duration duration(String option, String text) {
    return ScenarioDurations.parse(text).orElseThrow(() -> new InputException(option + ": '" + text + "' is not "
        + ScenarioDurations.ACCEPTED_FORM));
  }

  /**
   * A scenario's scaledObject path is relative to the repository root: look it up from the current
   * folder upwards, then from the scenario file's folder upwards.
   */
  public static Path locate(String scenarioArg, String scaledObject) {
    Path p = Path.of(scaledObject);
    if (p.isAbsolute()) {
      return p;
    }
    Optional<Path> found = upwards(Path.of("").toAbsolutePath(), p);
    if (found.isEmpty() && Files.isRegularFile(Path.of(scenarioArg))) {
      found = upwards(Path.of(scenarioArg).toAbsolutePath().getParent(), p);
    }
    return found.orElseThrow(() -> new InputException(scaledObject + ": ScaledObject manifest not found from the current"
        + " folder upwards; pass --scaled-object FILE"));
  }

  private static Optional<Path> upwards(Path from, Path relative) {
    for (Path d = from; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(relative))) {
        return Optional.of(d.resolve(relative));
      }
    }
    return Optional.empty();
  }
}
