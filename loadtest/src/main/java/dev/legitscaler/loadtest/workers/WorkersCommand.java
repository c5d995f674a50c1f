package dev.legitscaler.loadtest.workers;

import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadtest workers}: replays request records as HTTP requests for HTTP-served models. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = {
      "Replays request records as HTTP requests and reports latency per phase.",
      "Consumes the request topic in a consumer group and POSTs each record to --target-url with",
      "X-Client-Id, X-Forwarded-For, X-Send-Ts. Latency is measured from the record's intended send time.",
      "Prints per-phase p50/p95/p99/max and error rates by cause at the end (stop: limit, idle, SIGTERM)."
    })
public final class WorkersCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap-servers", required = true)
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = "model-requests", description = "request topic (default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--group", defaultValue = "loadtest-workers", description = "consumer group (default: ${DEFAULT-VALUE})")
  String group;

  @Option(names = "--target-url", required = true, description = "e.g. http://127.0.0.1:8000/predict")
  URI targetUrl;

  @Option(names = "--results-topic", defaultValue = "loadtest-results",
      description = "one JSON result per request; 'none' to disable (default: ${DEFAULT-VALUE})")
  String resultsTopic;

  @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight at most (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--timeout", defaultValue = "5s", description = "request timeout (default: ${DEFAULT-VALUE})")
  String timeout;

  @Option(names = "--connect-timeout", defaultValue = "2s", description = "connect timeout (default: ${DEFAULT-VALUE})")
  String connectTimeout;

  @Option(names = "--max-records", defaultValue = "0", description = "stop after this many records (0 = no limit)")
  long maxRecords;

  @Option(names = "--idle-exit", description = "stop when no record arrived for this long, e.g. 30s")
  String idleExit;

  @Option(names = "--summary-json", description = "also write the summary as JSON to this file")
  Path summaryJson;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (concurrency < 1) {
      spec.commandLine().getErr().println("--concurrency must be >= 1");
      return 2;
    }
    WorkersConfig config = new WorkersConfig(bootstrapServers, topic, group, targetUrl,
        "none".equals(resultsTopic) ? null : resultsTopic, concurrency, duration("--timeout", timeout),
        duration("--connect-timeout", connectTimeout), maxRecords, idleExit == null ? null : duration("--idle-exit", idleExit),
        "workers-" + ProcessHandle.current().pid());
    HttpWorkers workers = new HttpWorkers(config, Clock.systemUTC());
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      workers.stop();
      try {
        finished.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "workers-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("workers start group=" + group + " topic=" + topic + " target=" + targetUrl + " concurrency=" + concurrency);
    out.flush();
    WorkerSummary summary = workers.run();
    out.print(summary.toTable());
    out.flush();
    if (summaryJson != null) {
      Files.writeString(summaryJson, toJson(summary));
    }
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is waiting for us
    }
    return 0;
  }

  static String toJson(WorkerSummary s) {
    String phases = s.phases().values().stream().map(WorkersCommand::row).collect(Collectors.joining(","));
    return "{\"phases\":[" + phases + "],\"all\":" + row(s.all()) + "}\n";
  }

  private static String row(WorkerSummary.PhaseStats p) {
    String causes = p.outcomes().entrySet().stream()
        .map(e -> "\"" + e.getKey().label + "\":" + e.getValue()).collect(Collectors.joining(","));
    return String.format(Locale.ROOT,
        "{\"phase\":\"%s\",\"requests\":%d,\"p50Ms\":%.3f,\"p95Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"outcomes\":{%s}}",
        p.phase().replace("\"", ""), p.count(), p.p50Ms(), p.p95Ms(), p.p99Ms(), p.maxMs(), causes);
  }

  private static Duration duration(String option, String text) {
    return ScenarioDurations.parse(text).filter(d -> !d.isZero()).orElseThrow(
        () -> new IllegalArgumentException(option + ": '" + text + "' is not " + ScenarioDurations.ACCEPTED_FORM));
  }
}
