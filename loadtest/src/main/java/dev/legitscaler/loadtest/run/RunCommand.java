package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.alerting.AlertingStack;
import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.generate.Generator;
import dev.legitscaler.loadtest.generate.GeneratorReport;
import dev.legitscaler.loadtest.keda.KedaHpaEmulator;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.keda.ScalerConnector;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.platform.KafkaBrokerProcess;
import dev.legitscaler.loadtest.platform.KubeStateExporter;
import dev.legitscaler.loadtest.platform.ManagedProcess;
import dev.legitscaler.loadtest.platform.RoundRobinProxy;
import dev.legitscaler.loadtest.platform.ModelReplicaSet;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import dev.legitscaler.loadtest.platform.PrometheusProcess;
import dev.legitscaler.loadtest.platform.ScalerProcess;
import dev.legitscaler.loadtest.scenario.ModelCapacity;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.loadtest.scenario.ScenarioException;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loadtest run SCENARIO --local --out DIR}: the whole system on this machine (Kafka, Prometheus
 * with the project's rules, legit-scaler, model replicas, the KEDA + HPA emulator), the scenario's
 * traffic, every signal sampled, expectations checked, results written per docs/run-output.md.
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
  /** Real-time defaults that the time scale divides. */
  static final Duration SCALER_REFRESH = Duration.ofSeconds(5);
  static final Duration SCALER_STALE_AFTER = Duration.ofSeconds(60);
  static final Duration SCRAPE = Duration.ofSeconds(15);
  static final Duration HPA_SYNC = Duration.ofSeconds(15);

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file or built-in name")
  String scenarioArg;

  @picocli.CommandLine.Mixin
  dev.legitscaler.loadtest.mlflow.MlflowOptions mlflow = new dev.legitscaler.loadtest.mlflow.MlflowOptions();

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
    Path soFile = Path.of(scenario.scaledObjectOrDefault());
    if (!Files.isRegularFile(soFile)) {
      System.err.println("ScaledObject manifest not found: " + soFile + " (run from the repository root)");
      return 2;
    }
    Files.createDirectories(out);
    // a previous run's state (Kafka's formatted storage, Prometheus' TSDB, logs) must not leak into this one
    for (String owned : List.of("kafka", "prometheus", "alerting", "models", "scaler", "workers")) {
      deleteTree(out.resolve(owned));
    }
    java.util.Optional<String> badMlflow = mlflow.validate();
    if (badMlflow.isPresent()) {
      System.err.println(badMlflow.get());
      return 2;
    }
    LocalRun run = new LocalRun(scenario, k, soFile);
    int code = existing ? run.runExisting() : run.run();
    if (code > 1) {
      return code; // no complete run folder to track
    }
    return mlflow.logIfRequested(out, scenario.name() + "-run", java.util.Map.of("command", "run",
        "mode", existing ? "existing" : "local"), code, new java.io.PrintWriter(System.out, true),
        new java.io.PrintWriter(System.err, true));
  }

  /** One run of the local platform; every process it starts belongs to its {@link ProcessGroup}. */
  private final class LocalRun {
    final Scenario scenario;
    final double k;
    final Path soFile;
    final TrafficModel model;
    final MetricsReader metrics = new MetricsReader();
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    volatile Double achievedRate;
    AlertingStack alerting;
    ScenarioClock clock;

    LocalRun(Scenario scenario, double k, Path soFile) {
      this.scenario = scenario;
      this.k = k;
      this.soFile = soFile;
      this.model = TrafficModel.of(scenario, scenario.seedOrDefault(), 1);
    }

    Duration scaled(Duration d) {
      return Duration.ofNanos(Math.max(1_000_000L, (long) (d.toNanos() / k)));
    }

    int run() throws Exception {
      Duration startTimeout = Duration.ofSeconds(120);
      long started = System.nanoTime();
      String soText = Files.readString(soFile);
      ScaledObject original = ScaledObjectReader.parse(soText, soFile.toString());
      Trigger trigger = original.triggers().get(0);
      String topic = trigger.metadata().getOrDefault("topic", "model-requests");
      String group = trigger.metadata().getOrDefault("consumerGroup", "model");
      double targetLoad = Double.parseDouble(trigger.metadata().getOrDefault("targetLoad", "0.7"));
      ModelCapacity capacity = scenario.modelOrDefault();
      say.printf(Locale.ROOT, "run: scenario %s, %s of scenario time at time scale %s = %s of traffic%n", scenario.name(),
          ScenarioDurations.format(model.duration()), k, ScenarioDurations.format(scaled(model.duration())));
      try (ProcessGroup pg = new ProcessGroup()) {
        say("starting Kafka (KRaft, child JVM) ...");
        KafkaBrokerProcess kafka = pg.add(KafkaBrokerProcess.start(out.resolve("kafka"), startTimeout));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
          admin.createTopics(List.of(new NewTopic(topic, Math.max(1, original.maxReplicaCount()), (short) 1)))
              .all().get(60, TimeUnit.SECONDS);
        }
        say("  Kafka at " + kafka.bootstrapServers() + ", topic " + topic);

        // scenario-time values and K: the replica divides them itself, without rounding to whole ms
        long serviceNanos = Math.round(capacity.workerSlotsOrDefault() * 1e9 / capacity.capacityOrDefault());
        List<String> feed = http ? List.of() : List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic,
            "--group", group, "--predictions-topic", "none");
        ModelReplicaSet replicas = pg.add(new ModelReplicaSet(out.resolve("models"), new ModelReplicaSet.Spec(concat(feed, List.of(
            "--slots", Integer.toString(capacity.workerSlotsOrDefault()),
            "--service-time", String.format(Locale.ROOT, "%.3fms", serviceNanos / 1e6),
            "--saturation-window", "5s", "--time-scale", Double.toString(k))),
            original.namespace(), original.scaleTargetName())));
        AtomicInteger spec = new AtomicInteger(original.minReplicaCount());
        KubeStateExporter kube = pg.add(new KubeStateExporter(new KubeStateExporter.Target(original.namespace(),
            original.scaleTargetName(), original.hpaName(), original.minReplicaCount(), original.maxReplicaCount()),
            spec::get, replicas::total, replicas::ready));

        // replicas start now, so they are up (and ModelReplicasBelowMinimum quiet) by the time the rules run
        replicas.scaleTo(original.minReplicaCount());

        Path promDir = out.resolve("prometheus").toAbsolutePath();
        Files.createDirectories(promDir);
        Path scalerTargets = promDir.resolve("scaler-targets.json");
        Files.writeString(scalerTargets, "[]\n");
        AlertingStack alerting = null;
        if (!noAlerting) {
          say("starting Alertmanager with local sinks (webhooks per escalation level, SMTP) ...");
          alerting = AlertingStack.start(out.resolve("alerting"), repoRoot, k, pg);
          say("  Alertmanager at " + alerting.alertmanagerUrl());
        }
        this.alerting = alerting;
        List<Path> rules = alerting == null ? List.of() : alerting.ruleFiles();
        // the scaler first (pointed at Prometheus' port-to-be), so that the rules never see a platform
        // without a scaler target (LegitScalerDown would fire during start-up)
        int promPort = dev.legitscaler.loadtest.platform.FreePorts.next();
        say("starting legit-scaler ...");
        ScalerProcess scaler = pg.add(ScalerProcess.start(scalerJar.toAbsolutePath(), out.resolve("scaler"), List.of(
            "--prometheus-url", "http://127.0.0.1:" + promPort, "--kafka-bootstrap-servers", kafka.bootstrapServers(),
            // floors: below them a loaded machine makes signals look stale although nothing is wrong
            "--refresh-interval", Math.max(500, scaled(SCALER_REFRESH).toMillis()) + "ms",
            "--stale-after", Math.max(10_000, scaled(SCALER_STALE_AFTER).toMillis()) + "ms"), startTimeout));
        Files.writeString(scalerTargets, "[{\"targets\": [\"" + scaler.metricsAddress() + "\"], \"labels\": {}}]\n");
        say("  legit-scaler gRPC at " + scaler.grpcAddress() + ", metrics at http://" + scaler.metricsAddress() + "/metrics");

        Duration scrape = Duration.ofMillis(Math.max(1000, Math.min(SCRAPE.toMillis(), Math.round(SCRAPE.toMillis() / k))));
        say("starting Prometheus (scrape/evaluation every " + ScenarioDurations.format(scrape) + ", "
            + rules.size() + " rule files scaled by 1/" + fmtK() + ") ...");
        PrometheusProcess prom = pg.add(PrometheusProcess.start(prometheusBinary, promDir,
            prometheusConfig(scrape, rules, replicas.targetsFile(), scalerTargets, kube.target(), original.namespace())
                + (alerting == null ? "" : alerting.prometheusAlertingConfigYaml()),
            startTimeout, promPort));
        say("  Prometheus at " + prom.baseUrl());

        say("waiting for " + original.minReplicaCount() + " model replicas (child JVMs) ...");
        awaitCondition("model replicas ready", startTimeout, () -> replicas.ready() >= original.minReplicaCount());
        awaitCondition("Prometheus scraping the replicas", startTimeout, () -> metrics.query(prom.baseUrl(),
            "ml_model_saturation_ratio{namespace=\"" + original.namespace() + "\"}").size() >= original.minReplicaCount());

        if (http || targetUrl != null) {
          String url = targetUrl;
          if (url == null) {
            RoundRobinProxy service = pg.add(new RoundRobinProxy(replicas::readyUrls));
            url = service.baseUrl() + "/predict";
            say("  HTTP models behind " + url + " (round robin over the ready replicas)");
          }
          startWorkers(pg, kafka.bootstrapServers(), topic, group, url);
        }
        ScaledObject so = ScaledObjectReader.parse(scorerTimeScaled(localAddresses(soText, scaler.grpcAddress(),
            prom.baseUrl(), kafka.bootstrapServers()), k), soFile + " (local addresses)");
        ScenarioClock clock = new ScenarioClock(k, System::nanoTime, Instant.now());
        this.clock = clock;
        KedaHpaEmulator emulator = KedaHpaEmulator.builder(so)
            .clock(clock)
            .connector(ScalerConnector.plaintext())
            .observer(n -> new KedaHpaEmulator.Observed(replicas.total(),
                new dev.legitscaler.loadtest.hpa.PodCounts(replicas.total(), Math.min(replicas.total(), replicas.ready()))))
            .listener(change -> {
              spec.set(change.to());
              replicas.scaleTo(change.to());
              say.printf(Locale.ROOT, "  [t=%s] scale %d -> %d (%s: %s)%n", ScenarioDurations.format(
                  Duration.ofSeconds(clock.elapsed().toSeconds())), change.from(), change.to(), change.source(), change.reason());
            })
            .build();
        pg.add(emulator);
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(2, r -> {
          Thread t = new Thread(r, "run-loops");
          t.setDaemon(true);
          return t;
        });
        pg.add(loops::shutdownNow);
        // KEDA's poll and the HPA's sync in scenario time: their periods are divided by the time scale
        loops.scheduleAtFixedRate(guard(emulator::poll), 0, scaled(Duration.ofSeconds(so.pollingIntervalSeconds())).toMillis(), TimeUnit.MILLISECONDS);
        loops.scheduleAtFixedRate(guard(emulator::sync), 0, scaled(HPA_SYNC).toMillis(), TimeUnit.MILLISECONDS);
        long sampleEvery = Math.max(500, Math.round(1000 / k));
        String scalerMetrics = "http://" + scaler.metricsAddress() + "/metrics";
        loops.scheduleAtFixedRate(guard(() -> samples.add(sample(clock, emulator, prom.baseUrl(), scalerMetrics, so))),
            0, sampleEvery, TimeUnit.MILLISECONDS);
        loops.scheduleAtFixedRate(guard(() -> liveLine(clock)), 5, 5, TimeUnit.SECONDS);

        say("traffic: " + scenario.name() + " (" + ScenarioDurations.format(model.duration()) + " scenario time, "
            + ScenarioDurations.format(scaled(model.duration())) + " wall) ...");
        GeneratorReport report = generate(kafka.bootstrapServers(), topic, pg);
        loops.shutdownNow();
        loops.awaitTermination(10, TimeUnit.SECONDS);
        say.printf(Locale.ROOT, "traffic done: sent=%d acked=%d errors=%d%n", report.sent(), report.acked(), report.errorCount());

        Map<String, Object> params = params(so, trigger, targetLoad, capacity);
        RunOutput output = new RunOutput(scenario, model, new RunOutput.RunInfo("local", params,
            so.minReplicaCount(), so.maxReplicaCount(), capacity.capacityOrDefault(), targetLoad), samples, notifications());
        boolean passed = output.write(out);
        HtmlReports.write(out, say);
        Verdict.print(say, scenario, output, out);
        int code = passed ? 0 : 1;
        if (then != null) {
          code = Math.max(code, runThen(prom.baseUrl(), scalerMetrics, kafka.bootstrapServers(), so));
        }
        if (keepRunningFor != null) {
          Duration keep = ScenarioDurations.parse(keepRunningFor).orElse(Duration.ZERO);
          say("PLATFORM UP prometheus=" + prom.baseUrl() + " scaler_metrics=" + scalerMetrics + " kafka="
              + kafka.bootstrapServers() + " for " + ScenarioDurations.format(keep));
          Thread.sleep(keep.toMillis());
        }
        say.printf(Locale.ROOT, "stopping the platform ... (wall time %.0f s)%n", (System.nanoTime() - started) / 1e9);
        return code;
      }
    }

    /** `loadtest workers` in a child JVM: the request topic's consumer group, replaying records over HTTP. */
    void startWorkers(ProcessGroup pg, String bootstrap, String topic, String group, String url) throws IOException {
      Path dir = out.resolve("workers").toAbsolutePath();
      Files.createDirectories(dir);
      ManagedProcess w = pg.add(ManagedProcess.start("workers", List.of(dev.legitscaler.loadtest.platform.Java.executable(),
          "-Xmx256m", "-XX:+UseSerialGC", "-cp", dev.legitscaler.loadtest.platform.Java.classPath(),
          "dev.legitscaler.loadtest.Main", "workers", "--bootstrap-servers", bootstrap, "--topic", topic, "--group", group,
          "--target-url", url, "--results-topic", "none", "--concurrency", Integer.toString(workersConcurrency),
          "--summary-json", dir.resolve("workers-summary.json").toString()), dir, dir.resolve("workers.log")));
      say("  workers (consumer group " + group + ") -> " + url + ", log " + w.log());
    }

    /**
     * The same traffic and checks against an environment that already runs (a cluster): nothing is
     * started but the generator (and workers with --target-url); every signal is read from its Prometheus.
     */
    int runExisting() throws Exception {
      String soText = Files.readString(soFile);
      ScaledObject so = ScaledObjectReader.parse(soText, soFile.toString());
      Trigger trigger = so.triggers().get(0);
      String topic = trigger.metadata().getOrDefault("topic", "model-requests");
      String group = trigger.metadata().getOrDefault("consumerGroup", "model");
      double targetLoad = Double.parseDouble(trigger.metadata().getOrDefault("targetLoad", "0.7"));
      ModelCapacity capacity = scenario.modelOrDefault();
      try (ProcessGroup pg = new ProcessGroup()) {
        if (targetUrl != null) {
          startWorkers(pg, kafkaServers, topic, group, targetUrl);
        }
        ScenarioClock clock = new ScenarioClock(k, System::nanoTime, Instant.now());
        this.clock = clock;
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(2, r -> {
          Thread t = new Thread(r, "run-loops");
          t.setDaemon(true);
          return t;
        });
        pg.add(loops::shutdownNow);
        loops.scheduleAtFixedRate(guard(() -> samples.add(sampleFromPrometheus(clock, prometheusUrl, so))),
            0, Math.max(500, Math.round(1000 / k)), TimeUnit.MILLISECONDS);
        loops.scheduleAtFixedRate(guard(() -> liveLine(clock)), 5, 5, TimeUnit.SECONDS);
        say("traffic: " + scenario.name() + " -> " + kafkaServers + " topic " + topic);
        GeneratorReport report = generate(kafkaServers, topic, pg);
        loops.shutdownNow();
        loops.awaitTermination(10, TimeUnit.SECONDS);
        say.printf(Locale.ROOT, "traffic done: sent=%d acked=%d errors=%d%n", report.sent(), report.acked(), report.errorCount());
        Map<String, Object> params = params(so, trigger, targetLoad, capacity);
        params.put("kafka", kafkaServers);
        params.put("prometheus", prometheusUrl);
        if (alertmanagerUrl != null) {
          params.put("alertmanager", alertmanagerUrl);
        }
        if (targetUrl != null) {
          params.put("targetUrl", targetUrl);
        }
        RunOutput output = new RunOutput(scenario, model, new RunOutput.RunInfo("existing", params,
            so.minReplicaCount(), so.maxReplicaCount(), capacity.capacityOrDefault(), targetLoad), samples, List.of());
        boolean passed = output.write(out);
        HtmlReports.write(out, say);
        Verdict.print(say, scenario, output, out);
        return passed ? 0 : 1;
      }
    }

    Map<String, Object> params(ScaledObject so, Trigger trigger, double targetLoad, ModelCapacity capacity) {
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

    /** Everything from Prometheus: what an existing environment offers. */
    Sample sampleFromPrometheus(ScenarioClock clock, String prometheus, ScaledObject so) {
      double t = clock.seconds();
      String sel = "{namespace=\"" + so.namespace() + "\",scaled_object=\"" + so.name() + "\"}";
      List<Double> loads = metrics.query(prometheus, "ml_model_saturation_ratio{namespace=\"" + so.namespace() + "\"}");
      MetricsReader.Alerts alerts = metrics.alerts(prometheus);
      Double desired = one(prometheus, "max(kube_horizontalpodautoscaler_status_desired_replicas{namespace=\""
          + so.namespace() + "\",horizontalpodautoscaler=\"" + so.hpaName() + "\"})");
      return new Sample(t, desired == null ? null : (int) Math.round(desired),
          one(prometheus, "max(legitscaler_published_value" + sel + ")"),
          one(prometheus, "max(legitscaler_demand_replicas{namespace=\"" + so.namespace() + "\",scaled_object=\"" + so.name() + "\",term=\"load\"})"),
          one(prometheus, "max(legitscaler_demand_replicas{namespace=\"" + so.namespace() + "\",scaled_object=\"" + so.name() + "\",term=\"lag\"})"),
          one(prometheus, "max(legitscaler_legitimacy_score" + sel + ")"),
          one(prometheus, "max(legitscaler_attack_suspected" + sel + ")"),
          loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).max().getAsDouble(),
          loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).average().getAsDouble(),
          one(prometheus, "max(legitscaler_kafka_lag_messages" + sel + ")"),
          achievedRate, latencyP95(prometheus, so.namespace()),
          alerts == null ? null : alerts.firing(), alerts == null ? null : alerts.pending(), null);
    }

    Double one(String prometheus, String promql) {
      List<Double> v = metrics.query(prometheus, promql);
      return v.isEmpty() || v.get(0).isNaN() ? null : v.get(0);
    }

    /** p95 of the models' end-to-end latency (from the intended send time) over a scaled minute. */
    Double latencyP95(String prometheus, String namespace) {
      long window = Math.max(5, Math.round(60 / k));
      Double s = one(prometheus, "histogram_quantile(0.95, sum by (le) (rate(ml_model_request_duration_seconds_bucket{namespace=\""
          + namespace + "\"}[" + window + "s])))");
      return s == null ? null : s * 1000;
    }

    /** What the sinks received, on the scenario's time line. */
    List<Notification> notifications() {
      if (alerting == null) {
        return List.of();
      }
      return alerting.notifications().stream().map(n -> new Notification(n.receiver(), n.channel().wire(), n.alertname(),
          n.status().wire(), clock.scenarioSeconds(n.receivedAt()))).toList();
    }

    String fmtK() {
      return k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k);
    }

    String prometheusConfig(Duration scrape, List<Path> rules, Path modelTargets, Path scalerTargets, String kube, String namespace) {
      String every = scrape.toMillis() + "ms";
      StringBuilder sb = new StringBuilder();
      sb.append("global:\n  scrape_interval: ").append(every).append("\n  evaluation_interval: ").append(every).append('\n');
      if (!rules.isEmpty()) {
        sb.append("rule_files:\n");
        rules.forEach(r -> sb.append("  - '").append(r.toAbsolutePath()).append("'\n"));
      }
      sb.append("scrape_configs:\n");
      // the model replicas, discovered like a PodMonitor would: namespace and pod target labels
      sb.append("  - job_name: model\n    file_sd_configs:\n      - files: ['").append(modelTargets).append("']\n")
          .append("        refresh_interval: 1s\n");
      // the scaler: job name contains legit-scaler, honor_labels keeps its namespace label (docs/metrics.md)
      sb.append("  - job_name: legit-scaler\n    honor_labels: true\n    file_sd_configs:\n      - files: ['")
          .append(scalerTargets).append("']\n        refresh_interval: 1s\n");
      sb.append("  - job_name: kube-state-metrics\n    honor_labels: true\n    static_configs:\n      - targets: ['")
          .append(kube).append("']\n");
      return sb.toString();
    }

    GeneratorReport generate(String bootstrap, String topic, ProcessGroup pg) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
      props.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "true");
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
        Generator generator = new Generator(model, k, model.duration(), producer, topic, MonotonicClock.SYSTEM,
            Clock.systemUTC(), Duration.ofSeconds(10), Duration.ofSeconds(1), p -> achievedRate = p.achievedRate());
        // Ctrl-C: the group's shutdown hook stops the generator before the processes
        pg.add(generator::stop);
        return generator.run();
      }
    }

    Sample sample(ScenarioClock clock, KedaHpaEmulator emulator, String prometheus, String scalerMetrics, ScaledObject so) {
      double t = clock.seconds();
      String[] f = {"namespace=\"" + so.namespace() + "\"", "scaled_object=\"" + so.name() + "\""};
      String text = metrics.get(scalerMetrics).orElse("");
      List<Double> loads = metrics.query(prometheus, "ml_model_saturation_ratio{namespace=\"" + so.namespace() + "\"}");
      MetricsReader.Alerts alerts = noAlerting ? null : metrics.alerts(prometheus);
      return new Sample(t, emulator.specReplicas(),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_published_value", f)),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_demand_replicas", f[0], f[1], "term=\"load\"")),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_demand_replicas", f[0], f[1], "term=\"lag\"")),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_legitimacy_score", f)),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_attack_suspected", f)),
          loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).max().getAsDouble(),
          loads.isEmpty() ? null : loads.stream().mapToDouble(Double::doubleValue).average().getAsDouble(),
          MetricsReader.first(MetricsReader.series(text, "legitscaler_kafka_lag_messages", f)),
          achievedRate, latencyP95(prometheus, so.namespace()),
          alerts == null ? null : alerts.firing(), alerts == null ? null : alerts.pending(),
          alerting == null ? null : alerting.notifications().size());
    }

    void liveLine(ScenarioClock clock) {
      if (samples.isEmpty()) {
        return;
      }
      Sample s = samples.get(samples.size() - 1);
      Duration t = Duration.ofSeconds((long) s.t());
      say.printf(Locale.ROOT, "  t=%-7s %-12s rate=%6.0f/s replicas=%s load_max=%s score=%s attack=%s lag=%s firing=%s%n",
          ScenarioDurations.format(t), model.phaseAt(t.compareTo(model.duration()) < 0 ? t : model.duration().minusSeconds(1)),
          model.rateAt(t), s.replicas(), RunOutput.fmt(s.loadMax()), RunOutput.fmt(s.legitimacyScore()),
          RunOutput.fmt(s.attackSuspected()), RunOutput.fmt(s.lag()),
          s.firingAlerts() == null ? "-" : s.firingAlerts().keySet());
    }

    int runThen(String prometheus, String scalerMetrics, String kafka, ScaledObject so) throws IOException, InterruptedException {
      say("running: " + then);
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", then).inheritIO();
      pb.environment().putAll(Map.of("PROMETHEUS_URL", prometheus, "SCALER_METRICS", scalerMetrics, "KAFKA", kafka,
          "NAMESPACE", so.namespace(), "SCALED_OBJECT", so.name(), "OUT_DIR", out.toAbsolutePath().toString()));
      int rc = pb.start().waitFor();
      say("  exit code " + rc);
      return rc == 0 ? 0 : 1;
    }
  }

  /**
   * The ScaledObject as a cluster gets it, with its cluster DNS addresses replaced (in memory only) by
   * the local platform's.
   */
  static String localAddresses(String yaml, String scaler, String prometheus, String kafka) {
    return yaml
        .replaceAll("(?m)^(\\s*scalerAddress:\\s*).*$", "$1\"" + scaler + "\"")
        .replaceAll("(?m)^(\\s*serverAddress:\\s*).*$", "$1\"" + prometheus + "\"")
        .replaceAll("(?m)^(\\s*bootstrapServers:\\s*).*$", "$1\"" + kafka + "\"");
  }

  /**
   * The scorer reads wall time: its bucket (5 s) and clearAfter (30 s) are divided by the time scale
   * through the trigger's metadata, within the bounds the scaler accepts (bucket ≥ 1 s, clearAfter ≥ 5 s).
   * Its warm-up and attack hold are not configurable and stay in wall time (documented in docs/platform.md).
   */
  static String scorerTimeScaled(String yaml, double k) {
    if (k <= 1 || yaml.contains("legitimacyBucket:")) {
      return yaml;
    }
    long bucket = Math.max(1, Math.round(5 / k));
    long clear = Math.max(5, Math.round(30 / k));
    return yaml.replaceFirst("(?m)^(\\s*)(legitimacySource:.*)$",
        "$1$2\n$1legitimacyBucket: \"" + bucket + "s\"\n$1legitimacyClearAfter: \"" + clear + "s\"");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a failing sample or poll must not cancel its periodic task
        System.err.println("run: " + e);
      }
    };
  }

  private static void awaitCondition(String what, Duration timeout, Supplier<Boolean> ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ok.get()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }

  private void say(String line) {
    say.println("run: " + line);
  }
}
