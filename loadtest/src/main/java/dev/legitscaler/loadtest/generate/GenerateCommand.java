package dev.legitscaler.loadtest.generate;

import dev.legitscaler.loadtest.clock.MonotonicClock;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.loadtest.scenario.ScenarioException;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadtest generate}: plays a scenario's requests onto a Kafka topic at the scenario's rates. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes the scenario's request records to Kafka, paced to its rate at every instant.",
      "SCENARIO is a file or a built-in name (" + "steady, ramp-to-saturation, flash-crowd-3x, flash-crowd-5x, "
          + "few-source-flood, botnet, pulsing-attack, attack-during-flash-crowd, demo).",
      "Records: key = client id; headers client-id, send-ts (intended time, epoch us), scenario-phase, event-id."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCENARIO", description = "scenario file or built-in name")
  String scenarioArg;

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (not needed with --dry-run)")
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = "model-requests", description = "request topic (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--time-scale", description = "override the scenario's time scale (scenario seconds per wall second)")
  Double timeScale;

  @Option(names = "--duration", description = "play only this much scenario time, e.g. 2m")
  String duration;

  @Option(names = "--rate-multiplier", defaultValue = "1", description = "multiply every rate (default: ${DEFAULT-VALUE})")
  double rateMultiplier;

  @Option(names = "--seed", description = "override the scenario's seed")
  Long seed;

  @Option(names = "--progress-interval", defaultValue = "5s", description = "progress line period (default: ${DEFAULT-VALUE})")
  String progressInterval;

  @Option(names = "--create-topic-partitions", defaultValue = "0",
      description = "create the topic with this many partitions if it does not exist (0 = don't)")
  int createPartitions;

  @Option(names = "--producer-prop", description = "extra producer property key=value (repeatable)")
  List<String> producerProps = new ArrayList<>();

  @Option(names = "--dry-run", description = "validate and run the traffic model offline in simulated time; no Kafka")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario scenario;
    try {
      scenario = new ScenarioLoader().load(scenarioArg);
    } catch (ScenarioException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (duration != null) {
      scenario = scenario.withDuration(parse("--duration", duration));
    }
    double scale = timeScale != null ? timeScale : scenario.timeScaleOrDefault();
    if (!(scale > 0) || !(rateMultiplier > 0)) {
      err.println("--time-scale and --rate-multiplier must be > 0");
      return 2;
    }
    TrafficModel model = TrafficModel.of(scenario, seed != null ? seed : scenario.seedOrDefault(), rateMultiplier);
    if (dryRun) {
      printDryRun(model, scale, out);
      return 0;
    }
    if (bootstrapServers == null) {
      err.println("--bootstrap-servers is required (or use --dry-run)");
      return 2;
    }
    if (createPartitions > 0) {
      createTopicIfMissing();
    }
    Properties props = Generator.producerProperties(bootstrapServers);
    for (String kv : producerProps) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        err.println("--producer-prop: expected key=value, got '" + kv + "'");
        return 2;
      }
      props.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    out.printf(Locale.ROOT, "generate start scenario=%s seed=%d time_scale=%s scenario_duration=%s wall_duration=%s topic=%s%n",
        scenario.name(), model.seed(), scale, ScenarioDurations.format(model.duration()),
        ScenarioDurations.format(Duration.ofNanos((long) (model.duration().toNanos() / scale))), topic);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      Generator generator = new Generator(model, scale, model.duration(), producer, topic, MonotonicClock.SYSTEM,
          Clock.systemUTC(), Duration.ofSeconds(10), parse("--progress-interval", progressInterval),
          p -> err.printf(Locale.ROOT, "t=%s/%s phase=%s target=%.1f/s achieved=%.1f/s sent=%d acked=%d errors=%d behind=%.1fms%n",
              ScenarioDurations.format(Duration.ofSeconds(p.scenarioTime().toSeconds())),
              ScenarioDurations.format(p.scenarioDuration()), p.phase(), p.targetRate(), p.achievedRate(), p.sent(),
              p.acked(), p.errors(), p.behind().toNanos() / 1e6));
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        generator.stop();
        try {
          finished.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "generate-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      GeneratorReport report = generator.run();
      out.println(summaryLine(report));
      out.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already in shutdown: the hook is waiting for us
      }
      return report.errorCount() == 0 ? 0 : 1;
    }
  }

  static String summaryLine(GeneratorReport r) {
    double worst = r.windows().stream().filter(w -> w.target() > 0)
        .limit(Math.max(0, r.windows().size() - 1)) // the last window is usually partial
        .mapToDouble(w -> Math.abs(w.accuracy() - 1)).max().orElse(0);
    return String.format(Locale.ROOT,
        "generate done scheduled=%d sent=%d acked=%d errors=%d elapsed_s=%.1f mean_rate=%.1f max_behind_ms=%.1f "
            + "worst_window_error_pct=%.2f stopped_early=%s%s",
        r.scheduled(), r.sent(), r.acked(), r.errorCount(), r.elapsed().toNanos() / 1e9, r.meanSendRate(),
        r.maxBehind().toNanos() / 1e6, worst * 100, r.stoppedEarly(), r.errors().isEmpty() ? "" : " error_causes=" + r.errors());
  }

  private void printDryRun(TrafficModel model, double scale, PrintWriter out) {
    long started = System.nanoTime();
    Map<String, long[]> byPhase = new LinkedHashMap<>();
    Map<String, long[]> byStream = new LinkedHashMap<>();
    long[] total = new long[2];
    model.eventsBetween(Duration.ZERO, model.duration()).forEach(e -> {
      count(byPhase, e.phase(), e);
      count(byStream, e.stream(), e);
      total[0]++;
      total[1] += e.valid() ? 0 : 1;
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(Locale.ROOT, "scenario %s: valid. seed=%d duration=%s time_scale=%s wall_duration=%s%n",
        model.scenario().name(), model.seed(), ScenarioDurations.format(model.duration()), scale,
        ScenarioDurations.format(Duration.ofNanos((long) (model.duration().toNanos() / scale))));
    out.printf(Locale.ROOT, "%-24s %10s %9s%n", "phase", "requests", "invalid");
    byPhase.forEach((k, v) -> out.printf(Locale.ROOT, "%-24s %10d %9d%n", k, v[0], v[1]));
    out.printf(Locale.ROOT, "%-24s %10s %9s%n", "stream", "requests", "invalid");
    byStream.forEach((k, v) -> out.printf(Locale.ROOT, "%-24s %10d %9d%n", k, v[0], v[1]));
    out.printf(Locale.ROOT, "total %d requests (%d invalid), simulated in %.2f s%n", total[0], total[1], seconds);
  }

  private static void count(Map<String, long[]> map, String key, TrafficEvent e) {
    long[] c = map.computeIfAbsent(key, k -> new long[2]);
    c[0]++;
    c[1] += e.valid() ? 0 : 1;
  }

  private void createTopicIfMissing() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!names.contains(topic)) {
        admin.createTopics(List.of(new NewTopic(topic, createPartitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Duration parse(String option, String text) {
    return ScenarioDurations.parse(text).filter(d -> !d.isZero()).orElseThrow(
        () -> new IllegalArgumentException(option + ": '" + text + "' is not " + ScenarioDurations.ACCEPTED_FORM));
  }
}
