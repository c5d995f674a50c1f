package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.evaluate.EvaluationSettings;
import dev.legitscaler.loadtest.evaluate.Evaluator;
import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.mlflow.MlflowOptions;
import dev.legitscaler.loadtest.scenario.ModelCapacity;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.loadtest.scenario.ScenarioException;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loadtest run SCENARIO --local --out DIR}: the whole system on this machine (Kafka, Prometheus
 * with the project's rules, legit-scaler, model replicas, the KEDA + HPA emulator), the scenario's
 * traffic, every signal sampled, expectations checked, results written per docs/run-output.md. With
 * --kafka and --prometheus the same run against an environment that already runs.
 *
 * <p>One pipeline for both: an {@link Environment} ({@link LocalPlatform} or {@link ExistingEnvironment})
 * provides the addresses, the {@link RunLoop} plays the traffic while the {@link Sampler} records, the
 * offline evaluation of the same scenario and manifest gives the naive policy and the offline line, and
 * {@link RunOutput} writes the results. The local platform models what the evaluation assumes
 * (partitions, pod start delay: {@link EvaluationSettings#defaults()}), so the two can be compared.
 *
 * <p>Time scaling (factor k = --time-scale, scenario time runs k times faster than wall time): the
 * generator plays the scenario k× faster and model replicas serve k× faster (service time / k), so
 * loads are unchanged; the emulator reads a {@link ScenarioClock} (HPA windows and policy periods,
 * KEDA cooldown are scenario durations) and polls/syncs every pollingInterval/k and 15 s/k of wall
 * time; the scaler refreshes every max(0.5 s, 5 s/k) with staleAfter max(10 s, 60 s/k); Prometheus scrapes and evaluates every
 * max(1 s, 15 s/k); the rule files' durations and Alertmanager's timers are multiplied by 1/k
 * ({@link AlertingStack}, through {@code alerting/scale-time}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
      "Runs a scenario against the local platform (--local) and writes DIR/summary.json, DIR/timeseries.csv",
      "and DIR/report.html. Exit code 0: every expectation passed; 1: one failed; 2: bad input."})
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file or built-in name")
  String scenarioArg;

  @Mixin
  MlflowOptions mlflow = new MlflowOptions();

  @Option(names = "--local", description = "start the whole platform on this machine (loopback, free ports)")
  boolean local;

  @Option(names = "--out", defaultValue = "out/run", description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--time-scale", description = "scenario seconds per wall second (default: the scenario's); 1 = real time")
  Double timeScale;

  @Option(names = "--no-alerting", description = "load no rules and start no Alertmanager")
  boolean noAlerting;

  @Option(names = "--scaler-jar", defaultValue = "scaler/target/legit-scaler.jar", description = "default: ${DEFAULT-VALUE}")
  Path scalerJar;

  @Option(names = "--prometheus-binary", defaultValue = "prometheus", description = "default: ${DEFAULT-VALUE}")
  String prometheusBinary;

  @Option(names = "--repo-root", defaultValue = ".", description = "the checkout holding alerting/ (default: ${DEFAULT-VALUE})")
  Path repoRoot;

  @Option(names = "--then", paramLabel = "COMMAND",
      description = {"run this shell command after the results are written, with the platform still up;",
          "env: PROMETHEUS_URL, SCALER_METRICS, KAFKA, NAMESPACE, SCALED_OBJECT, OUT_DIR. Its failure fails the run."})
  String then;

  @Option(names = "--keep-running-for", description = "keep the platform up this long (wall time) after the run, e.g. 5m")
  String keepRunningFor;

  @Option(names = "--http", description = "local: model replicas answer over HTTP only (behind a round-robin Service), fed by `loadtest workers`")
  boolean http;

  @Option(names = "--target-url", description = "send the traffic to this HTTP model through `loadtest workers` (e.g. http://HOST:PORT/predict)")
  String targetUrl;

  @Option(names = "--kafka", description = "existing environment: its Kafka bootstrap servers (nothing is started)")
  String kafkaServers;

  @Option(names = "--prometheus", description = "existing environment: its Prometheus base URL")
  String prometheusUrl;

  @Option(names = "--alertmanager", description = "existing environment: its Alertmanager base URL (alerts are read from Prometheus; recorded in params)")
  String alertmanagerUrl;

  @Option(names = "--workers-concurrency", defaultValue = "64", description = "requests in flight of the workers (default: ${DEFAULT-VALUE})")
  int workersConcurrency;

  private final PrintStream say = System.out;

  @Override
  public Integer call() throws Exception {
    Scenario scenario;
    try {
      scenario = new ScenarioLoader().load(scenarioArg);
    } catch (ScenarioException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    double k = timeScale != null ? timeScale : scenario.timeScaleOrDefault();
    if (!(k > 0)) {
      System.err.println("--time-scale must be > 0");
      return 2;
    }
    boolean existing = kafkaServers != null || prometheusUrl != null || alertmanagerUrl != null;
    if (local == existing) {
      System.err.println("give either --local (start the platform here) or --kafka and --prometheus (an existing environment)");
      return 2;
    }
    if (existing && (kafkaServers == null || prometheusUrl == null)) {
      System.err.println("an existing environment needs --kafka and --prometheus (and optionally --alertmanager, --target-url)");
      return 2;
    }
    Optional<Duration> keep = Optional.empty();
    if (keepRunningFor != null) {
      keep = ScenarioDurations.parse(keepRunningFor);
      if (keep.isEmpty()) {
        System.err.println("--keep-running-for: expected a duration such as 90s or 5m, got '" + keepRunningFor + "'");
        return 2;
      }
    }
    Path soFile = Path.of(scenario.scaledObjectOrDefault());
    if (!Files.isRegularFile(soFile)) {
      System.err.println("ScaledObject manifest not found: " + soFile + " (run from the repository root)");
      return 2;
    }
    ScaledObject manifest = ScaledObjectReader.parse(Files.readString(soFile), soFile.toString());
    Optional<String> badMlflow = mlflow.validate();
    if (badMlflow.isPresent()) {
      System.err.println(badMlflow.get());
      return 2;
    }
    Files.createDirectories(out);
    // a previous run's state (Kafka's formatted storage, Prometheus' TSDB, logs) must not leak into this one
    for (String owned : List.of("kafka", "prometheus", "alerting", "models", "scaler", "workers")) {
      deleteTree(out.resolve(owned));
    }
    EvaluationSettings settings = EvaluationSettings.defaults();
    long started = System.nanoTime();
    TrafficModel model = TrafficModel.of(scenario, scenario.seedOrDefault(), 1);
    say.printf(Locale.ROOT, "run: scenario %s, %s of scenario time at time scale %s = %s of traffic%n", scenario.name(),
        ScenarioDurations.format(model.duration()), k, ScenarioDurations.format(
            Duration.ofNanos((long) (model.duration().toNanos() / k))));
    int code;
    try (Environment env = existing
        ? ExistingEnvironment.connect(manifest, kafkaServers, prometheusUrl, Optional.ofNullable(alertmanagerUrl),
            Optional.ofNullable(targetUrl), out, workersConcurrency, say)
        : LocalPlatform.start(new LocalPlatform.Options(out, scalerJar, prometheusBinary, repoRoot, !noAlerting, http,
            targetUrl, workersConcurrency, settings.partitions(), settings.podStartDelay(), k), manifest,
            scenario.modelOrDefault(), say)) {
      Trigger trigger = env.scaledObject().triggers().get(0);
      String topic = trigger.metadata().getOrDefault("topic", "model-requests");
      RunLoop.Recorded recorded = new RunLoop(model, k, topic, say).run(env);
      // locally the scorer's windows were time-scaled: the offline evaluation models those, in scenario time
      Optional<Evaluator.Result> offline = offline(scenario,
          existing ? manifest : LocalScaledObject.offlineEquivalent(manifest, k), settings);
      double targetLoad = Double.parseDouble(trigger.metadata().getOrDefault("targetLoad", "0.7"));
      ModelCapacity capacity = scenario.modelOrDefault();
      Map<String, Object> params = params(scenario, model, k, env.scaledObject(), trigger, targetLoad, capacity);
      params.putAll(env.params());
      RunOutput output = new RunOutput(scenario, model, new RunOutput.RunInfo(env.mode(), params,
          manifest.minReplicaCount(), manifest.maxReplicaCount(), capacity.capacityOrDefault(), targetLoad),
          recorded.samples(), env.notifications(recorded.clock()), offline, Optional.of(recorded.cpu()));
      boolean passed = output.write(out);
      HtmlReports.write(out, say);
      Verdict.print(say, scenario, output, out);
      code = passed ? 0 : 1;
      if (then != null) {
        code = Math.max(code, runThen(env));
      }
      if (keep.isPresent()) {
        say("PLATFORM UP prometheus=" + env.addresses().prometheus() + " scaler_metrics="
            + env.addresses().scalerMetrics().orElse("-") + " kafka=" + env.addresses().kafka() + " for "
            + ScenarioDurations.format(keep.get()));
        Thread.sleep(keep.get().toMillis());
      }
      say.printf(Locale.ROOT, "run: stopping ... (wall time %.0f s)%n", (System.nanoTime() - started) / 1e9);
    }
    return mlflow.logIfRequested(out, scenario.name() + "-run", Map.of("command", "run",
        "mode", existing ? "existing" : "local"), code, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /** The same scenario and manifest through `loadtest evaluate`'s simulation: the naive policy and the offline line. */
  private Optional<Evaluator.Result> offline(Scenario scenario, ScaledObject manifest, EvaluationSettings settings) {
    try {
      return Optional.of(Evaluator.run(scenario, manifest, settings));
    } catch (InputException e) {
      say("the offline evaluation cannot run this manifest (" + e.getMessage() + "): no naive policy or offline line");
      return Optional.empty();
    }
  }

  private Map<String, Object> params(Scenario scenario, TrafficModel model, double k, ScaledObject so, Trigger trigger,
      double targetLoad, ModelCapacity capacity) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("scenario", scenario.name());
    params.put("seed", model.seed());
    params.put("timeScale", k);
    params.put("durationSeconds", model.duration().toSeconds());
    params.put("scaledObject", so.name());
    params.put("targetLoad", targetLoad);
    params.put("capacityPerReplica", capacity.capacityOrDefault());
    params.put("legitimacySource", trigger.metadata().getOrDefault("legitimacySource", ""));
    params.put("legitimacyMode", trigger.metadata().getOrDefault("legitimacyMode", ""));
    params.put("alerting", !noAlerting);
    params.put("http", http || targetUrl != null);
    params.put("version", "0.1.0");
    return params;
  }

  private int runThen(Environment env) throws IOException, InterruptedException {
    say("running: " + then);
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", then).inheritIO();
    ScaledObject so = env.scaledObject();
    pb.environment().putAll(Map.of("PROMETHEUS_URL", env.addresses().prometheus(),
        "SCALER_METRICS", env.addresses().scalerMetrics().orElse(""), "KAFKA", env.addresses().kafka(),
        "NAMESPACE", so.namespace(), "SCALED_OBJECT", so.name(), "OUT_DIR", out.toAbsolutePath().toString()));
    int rc = pb.start().waitFor();
    say("  exit code " + rc);
    return rc == 0 ? 0 : 1;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void say(String line) {
    say.println("run: " + line);
  }
}
