package dev.legitscaler.loadtest.mlflow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logs a finished scenario run (its output folder) as one MLflow run: params, summary metrics, the
 * time series with step = scenario second, tags and artifacts. Called only after the local results are
 * written, so a failing MLflow never costs them.
 */
public final class RunTracker {
  private final MlflowClient client;
  private final Clock clock;

  /**
   * @param experiment MLflow experiment name (created when missing)
   * @param runName the run's display name
   * @param extraParams params from the command line (scenario, seed, time scale, scaler settings, version)
   * @param tags tags such as the model name/version and the git commit
   */
  public record Request(Path runDir, String experiment, String runName, Map<String, String> extraParams,
      Map<String, String> tags) {}

  public record Logged(String experimentId, String runId, int params, int metricPoints, int artifacts) {}

  public RunTracker(MlflowClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public Logged log(Request req) throws IOException, MlflowException {
    RunResults results = RunResults.read(req.runDir());
    Map<String, String> params = new LinkedHashMap<>(results.params());
    params.putAll(req.extraParams());
    String experimentId = client.experimentId(req.experiment());
    MlflowClient.RunInfo run = client.createRun(experimentId, req.runName(), req.tags());
    boolean ok = false;
    try {
      long start = clock.millis();
      List<MlflowClient.Metric> metrics = new ArrayList<>();
      results.summaryMetrics().forEach((k, v) -> metrics.add(new MlflowClient.Metric("summary." + k, v, start, 0)));
      results.series().forEach((k, points) -> {
        for (RunResults.Point p : points) {
          metrics.add(new MlflowClient.Metric(k, p.value(), start + p.step() * 1000, p.step()));
        }
      });
      client.logBatch(run.runId(), params, metrics, Map.of());
      for (Path a : results.artifacts()) {
        client.uploadArtifact(run, a, "");
      }
      ok = true;
      return new Logged(experimentId, run.runId(), params.size(), metrics.size(), results.artifacts().size());
    } finally {
      client.finishRun(run.runId(), ok);
    }
  }
}
