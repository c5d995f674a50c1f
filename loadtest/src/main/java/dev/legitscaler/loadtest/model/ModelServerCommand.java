package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.scenario.ModelCapacity;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioException;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadtest model-server}: runs one reference model instance until SIGTERM/SIGINT. */
@Command(
    name = "model-server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the reference model service (Kafka consumer + HTTP /predict, /metrics).",
      "Consumes the request topic in a consumer group, runs a logistic regression plus a configurable",
      "service time in a fixed number of worker slots (capacity = slots / service time), answers on the",
      "predictions topic and on HTTP POST /predict, exports /metrics.",
      "Durations are in scenario time and divided by --time-scale (the platform's K): at K the instance",
      "serves K times faster, so that its load (offered rate over capacity) is the scenario's.",
      "Prints one line 'model-server ready ... port=N ...' once listening. SIGTERM: finish, commit, exit."
    })
public final class ModelServerCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers; omit for an HTTP-only instance")
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = "model-requests", description = "request topic (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--group", defaultValue = "model", description = "consumer group (default: ${DEFAULT-VALUE})")
  String group;

  @Option(names = "--predictions-topic", defaultValue = "model-predictions",
      description = "answers topic; 'none' to disable (default: ${DEFAULT-VALUE})")
  String predictionsTopic;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "HTTP bind address (default: ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--port", defaultValue = "0", description = "HTTP port for /predict and /metrics; 0 = a free one")
  int port;

  @Option(names = "--slots", description = "worker slots (default: 8, or the scenario's workerSlots)")
  Integer slots;

  @Option(names = "--service-time",
      description = "scenario time one request holds a slot, e.g. 80ms (default: 40ms, or from the scenario)")
  String serviceTime;

  @Option(names = "--scenario", description = {
      "size the instance from a scenario file or built-in name: slots = model.workerSlots,",
      "service time = slots / model.capacityPerReplica, time scale = timeScale",
      "(explicit --slots/--service-time/--time-scale win)"})
  String scenario;

  @Option(names = "--time-scale", description = {
      "K: run K times faster than real time; every duration option is divided by K",
      "(default: the scenario's timeScale with --scenario, else 1)"})
  Double timeScale;

  @Option(names = "--saturation-window", defaultValue = "5s",
      description = "smoothing window of ml_model_saturation_ratio, scenario time (default: ${DEFAULT-VALUE})")
  String saturationWindow;

  @Option(names = "--commit-interval", defaultValue = "100ms", description = {
      "scenario time between commits of the served positions (default: ${DEFAULT-VALUE});",
      "committed offsets are what the lag is measured from, so this adds up to rate x interval to it"})
  String commitInterval;

  @Option(names = "--max-in-flight", description = {
      "records taken from Kafka and not yet served above which polling pauses, so that a backlog stays",
      "in Kafka (default: 16 per slot, at least 32)"})
  Integer maxInFlight;

  @Option(names = "--max-poll-records", defaultValue = "200")
  int maxPollRecords;

  @Option(names = "--instance", description = "instance name (default: model-<port>)")
  String instance;

  @Option(names = "--weights", description = "JSON weights file (default: the bundled reference model)")
  Path weights;

  @Override
  public Integer call() throws Exception {
    int slotCount = slots != null ? slots : 8;
    Duration service = serviceTime != null ? parseDuration("--service-time", serviceTime) : Duration.ofMillis(40);
    double k = timeScale != null ? timeScale : 1;
    if (scenario != null) {
      Scenario s;
      try {
        s = new ScenarioLoader().load(scenario);
      } catch (ScenarioException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      ModelCapacity capacity = s.modelOrDefault();
      slotCount = slots != null ? slots : capacity.workerSlotsOrDefault();
      service = serviceTime != null ? service
          : Duration.ofNanos(Math.round(slotCount * 1e9 / capacity.capacityOrDefault()));
      k = timeScale != null ? timeScale : s.timeScaleOrDefault();
    }
    if (slotCount < 1) {
      System.err.println("--slots must be >= 1, got " + slotCount);
      return 2;
    }
    if (!(k > 0) || Double.isInfinite(k)) {
      System.err.println("--time-scale must be a number > 0, got " + k);
      return 2;
    }
    int inFlight = maxInFlight != null ? maxInFlight : ModelServerConfig.defaultMaxInFlight(slotCount);
    if (inFlight < 1) {
      System.err.println("--max-in-flight must be >= 1, got " + inFlight);
      return 2;
    }
    // a live run at time scale k plays everything k times faster, the model included
    Duration wallService = scaled(service, k);
    Duration window = scaled(parseDuration("--saturation-window", saturationWindow), k);
    Duration commit = scaled(parseDuration("--commit-interval", commitInterval), k);
    LogisticModel model = weights == null ? LogisticModel.bundled() : LogisticModel.fromFile(weights);
    String name = instance == null ? "model-" + ProcessHandle.current().pid() : instance;
    ModelServerConfig config = new ModelServerConfig(bootstrapServers, topic, group,
        "none".equals(predictionsTopic) ? null : predictionsTopic, bind, port, slotCount, wallService, window,
        maxPollRecords, name, model, commit, inFlight, k);
    ModelServer server = ModelServer.start(config, Clock.systemUTC(), MonotonicClock.SYSTEM);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.out.println("model-server stopped instance=" + name + " ok=" + (long) server.metrics()
          .requests(ModelMetrics.Outcome.OK));
      System.out.flush();
      done.countDown();
    }, "model-server-shutdown"));
    System.out.println(server.readyLine());
    System.out.flush();
    done.await();
    return 0;
  }

  /** {@code d} of scenario time in wall time at time scale {@code k}, at least 1 µs. */
  static Duration scaled(Duration d, double k) {
    return Duration.ofNanos(Math.max(1000L, Math.round(d.toNanos() / k)));
  }

  static Duration parseDuration(String option, String text) {
    return dev.legitscaler.loadtest.scenario.ScenarioDurations.parse(text)
        .filter(d -> !d.isZero())
        .orElseThrow(() -> new IllegalArgumentException(option + ": '" + text + "' is not a duration like 40ms, 2s"));
  }
}
