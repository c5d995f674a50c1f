package dev.legitscaler.loadtest.mlflow;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The MLflow flags every scenario command takes ({@code run}, {@code evaluate}), and the one step they
 * share: log the finished output folder, after the local files are written, so that a failing MLflow
 * costs a warning and exit code 3, never the results.
 */
public final class MlflowOptions {
  /** Exit code when every expectation passed but the MLflow logging failed. */
  public static final int MLFLOW_FAILED = 3;

  @Option(names = "--mlflow-uri", description = "log the finished run to this MLflow tracking server")
  URI mlflowUri;

  @Option(names = "--mlflow-experiment", defaultValue = "legit-scaler-load-tests", description = "MLflow experiment (default: ${DEFAULT-VALUE})")
  String experiment;

  @Option(names = "--model-name", description = "model under test, recorded as an MLflow tag")
  String modelName;

  @Option(names = "--model-version", description = "model version under test, recorded as an MLflow tag")
  String modelVersion;

  /** The flags' problem, naming the flag and the accepted form; empty when they are fine. */
  public Optional<String> validate() {
    if (mlflowUri != null && !"http".equals(mlflowUri.getScheme()) && !"https".equals(mlflowUri.getScheme())) {
      return Optional.of("--mlflow-uri: expected an http(s) URL of a tracking server, got '" + mlflowUri + "'");
    }
    return Optional.empty();
  }

  /**
   * Logs {@code out} when --mlflow-uri was given and returns the command's exit code: {@code code}
   * unchanged, or {@link #MLFLOW_FAILED} when logging failed and {@code code} was 0.
   */
  public int logIfRequested(Path out, String runName, Map<String, String> extraParams, int code, PrintWriter stdout,
      PrintWriter err) {
    if (mlflowUri == null) {
      return code;
    }
    try {
      RunTracker tracker = new RunTracker(new MlflowClient(mlflowUri, MlflowClient.RetryPolicy.standard(), Clock.systemUTC()),
          Clock.systemUTC());
      RunTracker.Logged logged = tracker.log(new RunTracker.Request(out, experiment, runName, extraParams,
          MlflowLogCommand.tags(modelName, modelVersion)));
      stdout.println("mlflow: logged run " + logged.runId() + " in experiment " + logged.experimentId());
      return code;
    } catch (Exception e) {
      err.println("warning: MLflow logging failed, the local results in " + out + " are complete: " + e.getMessage());
      return code == 0 ? MLFLOW_FAILED : code;
    } finally {
      stdout.flush();
      err.flush();
    }
  }
}
