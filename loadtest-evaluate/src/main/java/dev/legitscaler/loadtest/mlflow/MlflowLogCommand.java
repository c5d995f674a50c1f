package dev.legitscaler.loadtest.mlflow;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Logs an existing run folder to MLflow (the same step `run` and `evaluate` take with --mlflow-uri). */
@Command(name = "mlflow-log", mixinStandardHelpOptions = true,
    description = "Logs a scenario run's output folder (summary.json, timeseries.csv, report.html) as an MLflow run.")
public final class MlflowLogCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "output folder of `loadtest run` or `loadtest evaluate`")
  Path dir;

  @Option(names = "--mlflow-uri", required = true, description = "MLflow tracking server, e.g. http://127.0.0.1:5000")
  URI mlflowUri;

  @Option(names = "--mlflow-experiment", defaultValue = "legit-scaler-load-tests", description = "experiment (default: ${DEFAULT-VALUE})")
  String experiment;

  @Option(names = "--run-name", description = "run name (default: the folder name)")
  String runName;

  @Option(names = "--model-name", description = "model under test, recorded as a tag")
  String modelName;

  @Option(names = "--model-version", description = "model version under test, recorded as a tag")
  String modelVersion;

  @Option(names = "--param", description = "extra param KEY=VALUE (repeatable)")
  Map<String, String> params = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (!"http".equals(mlflowUri.getScheme()) && !"https".equals(mlflowUri.getScheme())) {
      System.err.println("--mlflow-uri: expected an http(s) URL of a tracking server, got '" + mlflowUri + "'");
      return 2;
    }
    RunTracker tracker = new RunTracker(new MlflowClient(mlflowUri, MlflowClient.RetryPolicy.standard(), Clock.systemUTC()), Clock.systemUTC());
    RunTracker.Logged logged = tracker.log(new RunTracker.Request(dir, experiment,
        runName != null ? runName : dir.toAbsolutePath().getFileName().toString(), params, tags(modelName, modelVersion)));
    System.out.println("mlflow: logged run " + logged.runId() + " in experiment " + logged.experimentId() + " ("
        + logged.params() + " params, " + logged.metricPoints() + " metric points, " + logged.artifacts() + " artifacts)");
    return 0;
  }

  /** Tags every tracked run carries: model name/version when given, and the git commit when known. */
  public static Map<String, String> tags(String modelName, String modelVersion) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (modelName != null) {
      tags.put("legitscaler.model_name", modelName);
    }
    if (modelVersion != null) {
      tags.put("legitscaler.model_version", modelVersion);
    }
    GitCommit.current().ifPresent(c -> tags.put("mlflow.source.git.commit", c));
    return tags;
  }
}
