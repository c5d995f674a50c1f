package dev.legitscaler.scaler;

import dev.legitscaler.scaler.bench.BenchCommand;
import dev.legitscaler.scaler.bench.BenchServerCommand;
import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.BackendsFile;
import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.logging.JsonLogLines;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import dev.legitscaler.scaler.signal.prometheus.QueryMetadata;
import dev.legitscaler.scaler.tls.TlsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of legit-scaler.jar: serves KEDA's external scaler API until SIGTERM. */
@Command(name = "legit-scaler", mixinStandardHelpOptions = true, version = "legit-scaler 0.1.0",
    sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "KEDA external scaler: combines Prometheus load, Kafka consumer lag and a traffic-legitimacy score into one"
            + " metric.",
        "Every option can also be set with the environment variable shown; the flag wins.",
        "Durations: 500ms, 5s, 2m, 1h or a number of seconds."},
    subcommands = {BenchCommand.class, BenchServerCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:clean shutdown", "1:startup failed (e.g. port in use)", "2:bad flag or setting"})
public final class Main implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--grpc-port", paramLabel = "PORT", defaultValue = "${env:LEGITSCALER_GRPC_PORT:-9090}",
      description = "gRPC port for KEDA, Diagnostics, Health, reflection (env LEGITSCALER_GRPC_PORT, default ${DEFAULT-VALUE})")
  int grpcPort;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:LEGITSCALER_METRICS_PORT:-8080}",
      description = "HTTP port of /metrics (env LEGITSCALER_METRICS_PORT, default ${DEFAULT-VALUE})")
  int metricsPort;

  @Option(names = "--prometheus-url", paramLabel = "URL", defaultValue = "${env:LEGITSCALER_PROMETHEUS_URL}",
      description = "default serverAddress of the load and legitimacy queries (env LEGITSCALER_PROMETHEUS_URL)")
  String prometheusUrl;

  @Option(names = "--prometheus-bearer-token-file", paramLabel = "FILE",
      defaultValue = "${env:LEGITSCALER_PROMETHEUS_BEARER_TOKEN_FILE}",
      description = "file whose content is sent as 'Authorization: Bearer' to Prometheus"
          + " (env LEGITSCALER_PROMETHEUS_BEARER_TOKEN_FILE)")
  Path prometheusBearerTokenFile;

  @Option(names = "--prometheus-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_PROMETHEUS_TIMEOUT:-3s}",
      description = "default Prometheus query timeout (env LEGITSCALER_PROMETHEUS_TIMEOUT, default ${DEFAULT-VALUE})")
  Duration prometheusTimeout;

  @Option(names = "--kafka-bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      defaultValue = "${env:LEGITSCALER_KAFKA_BOOTSTRAP_SERVERS}",
      description = "default bootstrapServers (env LEGITSCALER_KAFKA_BOOTSTRAP_SERVERS)")
  String kafkaBootstrapServers;

  @Option(names = "--kafka-client-properties", paramLabel = "FILE",
      defaultValue = "${env:LEGITSCALER_KAFKA_CLIENT_PROPERTIES}",
      description = "Kafka client properties file: security.protocol, sasl.*, ssl.* (env LEGITSCALER_KAFKA_CLIENT_PROPERTIES)")
  Path kafkaClientProperties;

  @Option(names = "--backends-file", paramLabel = "FILE", defaultValue = "${env:LEGITSCALER_BACKENDS_FILE}",
      description = "YAML/JSON file declaring Prometheus servers and Kafka clusters, their credentials and the"
          + " namespaces that may use each; server credentials go only there (env LEGITSCALER_BACKENDS_FILE;"
          + " see docs/security.md)")
  Path backendsFile;

  @Option(names = "--allow-undeclared-backends", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:LEGITSCALER_ALLOW_UNDECLARED_BACKENDS:-false}",
      description = "reach a server no backend declares WITHOUT any server credential instead of refusing the"
          + " trigger with PERMISSION_DENIED (env LEGITSCALER_ALLOW_UNDECLARED_BACKENDS, default ${DEFAULT-VALUE})")
  boolean allowUndeclaredBackends;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:LEGITSCALER_LOG_FORMAT:-text}",
      description = "log lines as text or one JSON object per line (env LEGITSCALER_LOG_FORMAT, default ${DEFAULT-VALUE})")
  LogFormat logFormat;

  /** Accepted values of --log-format. */
  enum LogFormat { text, json }

  @Option(names = "--refresh-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_REFRESH_INTERVAL:-5s}",
      description = "default refreshInterval of a watch (env LEGITSCALER_REFRESH_INTERVAL, default ${DEFAULT-VALUE})")
  Duration refreshInterval;

  @Option(names = "--stale-after", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_STALE_AFTER:-60s}",
      description = "default staleAfter: older signals are not used (env LEGITSCALER_STALE_AFTER, default ${DEFAULT-VALUE})")
  Duration staleAfter;

  @Option(names = "--watch-idle-expiry", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_WATCH_IDLE_EXPIRY:-10m}",
      description = "close a watch KEDA has not asked about for this long (env LEGITSCALER_WATCH_IDLE_EXPIRY,"
          + " default ${DEFAULT-VALUE})")
  Duration watchIdleExpiry;

  @Option(names = "--tls-cert-file", paramLabel = "FILE", defaultValue = "${env:LEGITSCALER_TLS_CERT_FILE}",
      description = "PEM certificate chain: serve gRPC over TLS (env LEGITSCALER_TLS_CERT_FILE; plaintext without it)")
  Path tlsCertFile;

  @Option(names = "--tls-key-file", paramLabel = "FILE", defaultValue = "${env:LEGITSCALER_TLS_KEY_FILE}",
      description = "PEM private key of --tls-cert-file, PKCS#8 or PKCS#1 RSA; checked to match the certificate"
          + " (env LEGITSCALER_TLS_KEY_FILE)")
  Path tlsKeyFile;

  @Option(names = "--tls-client-ca-file", paramLabel = "FILE", defaultValue = "${env:LEGITSCALER_TLS_CLIENT_CA_FILE}",
      description = "PEM CA bundle: require client certificates signed by it (mTLS) (env LEGITSCALER_TLS_CLIENT_CA_FILE)")
  Path tlsClientCaFile;

  @Option(names = "--refresh-threads", paramLabel = "N", defaultValue = "${env:LEGITSCALER_REFRESH_THREADS:-4}",
      description = "threads shared by all watches' refreshers (env LEGITSCALER_REFRESH_THREADS, default ${DEFAULT-VALUE})")
  int refreshThreads;

  @Option(names = "--first-refresh-wait", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_FIRST_REFRESH_WAIT:-2s}",
      description = "how long GetMetrics waits for a new watch's first refresh before UNAVAILABLE"
          + " (env LEGITSCALER_FIRST_REFRESH_WAIT, default ${DEFAULT-VALUE})")
  Duration firstRefreshWait;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_SHUTDOWN_GRACE:-8s}",
      description = "time in-flight calls get to finish on SIGTERM (env LEGITSCALER_SHUTDOWN_GRACE, default ${DEFAULT-VALUE})")
  Duration shutdownGrace;

  @Option(names = "--max-watches", paramLabel = "N", defaultValue = "${env:LEGITSCALER_MAX_WATCHES:-20000}",
      description = "watched triggers in the whole server; more are refused with RESOURCE_EXHAUSTED"
          + " (env LEGITSCALER_MAX_WATCHES, default ${DEFAULT-VALUE})")
  int maxWatches;

  @Option(names = "--max-watches-per-namespace", paramLabel = "N",
      defaultValue = "${env:LEGITSCALER_MAX_WATCHES_PER_NAMESPACE:-2000}",
      description = "watched triggers of one namespace (env LEGITSCALER_MAX_WATCHES_PER_NAMESPACE, default ${DEFAULT-VALUE})")
  int maxWatchesPerNamespace;

  @Option(names = "--trigger-memory-budget", paramLabel = "MIB",
      defaultValue = "${env:LEGITSCALER_TRIGGER_MEMORY_BUDGET:-1024}",
      description = "MiB of heap all triggers' scorer state may take together (env LEGITSCALER_TRIGGER_MEMORY_BUDGET,"
          + " default ${DEFAULT-VALUE})")
  long triggerMemoryBudgetMib;

  @Option(names = "--max-trigger-memory", paramLabel = "MIB", defaultValue = "${env:LEGITSCALER_MAX_TRIGGER_MEMORY:-128}",
      description = "MiB of heap one trigger's scorer state may take (env LEGITSCALER_MAX_TRIGGER_MEMORY,"
          + " default ${DEFAULT-VALUE})")
  long maxTriggerMemoryMib;

  @Option(names = "--max-concurrent-refreshes-per-namespace", paramLabel = "N",
      defaultValue = "${env:LEGITSCALER_MAX_CONCURRENT_REFRESHES_PER_NAMESPACE:-2}",
      description = "refresh threads one namespace may hold at once: slow backends of one namespace cannot starve"
          + " the others (env LEGITSCALER_MAX_CONCURRENT_REFRESHES_PER_NAMESPACE, default ${DEFAULT-VALUE})")
  int maxConcurrentRefreshesPerNamespace;

  @Option(names = "--max-concurrent-refreshes-per-backend", paramLabel = "N",
      defaultValue = "${env:LEGITSCALER_MAX_CONCURRENT_REFRESHES_PER_BACKEND:-2}",
      description = "calls one backend (a declared Prometheus or Kafka cluster, or an undeclared address) may have"
          + " in flight at once, from all namespaces together: a slow or dead backend holds at most this many refresh"
          + " threads and delays only the triggers that use it; further calls queue, first come, first served and"
          + " without a thread, for up to half their refresh interval, then are skipped until the next refresh"
          + " (env LEGITSCALER_MAX_CONCURRENT_REFRESHES_PER_BACKEND, default ${DEFAULT-VALUE})")
  int maxConcurrentRefreshesPerBackend;

  @Option(names = "--max-upstream-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "${env:LEGITSCALER_MAX_UPSTREAM_TIMEOUT:-10s}",
      description = "the largest 'timeout' a trigger may ask for (10ms to 2m); a trigger asking for more is refused"
          + " with INVALID_ARGUMENT naming the key, the value and the accepted range, never clamped"
          + " (env LEGITSCALER_MAX_UPSTREAM_TIMEOUT, default ${DEFAULT-VALUE})")
  Duration maxUpstreamTimeout;

  @Option(names = "--max-series-per-query", paramLabel = "N",
      defaultValue = "${env:LEGITSCALER_MAX_SERIES_PER_QUERY:-10000}",
      description = "series one Prometheus answer may hold; more fail the refresh with too_many_series"
          + " (env LEGITSCALER_MAX_SERIES_PER_QUERY, default ${DEFAULT-VALUE})")
  int maxSeriesPerQuery;

  @Option(names = "--strict-metadata", defaultValue = "${env:LEGITSCALER_STRICT_METADATA:-false}",
      description = "reject triggers with unknown metadata keys (INVALID_ARGUMENT) instead of reporting them"
          + " (env LEGITSCALER_STRICT_METADATA)")
  boolean strictMetadata;

  public static void main(String[] args) {
    int rc = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Parses and runs; returns the exit code (never calls System.exit). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, ignored) -> {
      err.println(ex.getMessage());
      err.println("Try 'legit-scaler --help' for every option and its accepted values.");
      return CommandLine.ExitCode.USAGE;
    });
    return cl.execute(args);
  }

  /** Settings from the parsed flags; throws ParameterException (exit code 2) naming the flag. */
  ScalerApp.Settings settings() {
    port("--grpc-port", grpcPort);
    port("--metrics-port", metricsPort);
    positive("--max-watches", maxWatches);
    positive("--max-watches-per-namespace", maxWatchesPerNamespace);
    positive("--trigger-memory-budget", triggerMemoryBudgetMib);
    positive("--max-trigger-memory", maxTriggerMemoryMib);
    positive("--max-concurrent-refreshes-per-namespace", maxConcurrentRefreshesPerNamespace);
    positive("--max-series-per-query", maxSeriesPerQuery);
    positive("--max-concurrent-refreshes-per-backend", maxConcurrentRefreshesPerBackend);
    if (maxUpstreamTimeout.compareTo(QueryMetadata.MIN_TIMEOUT) < 0
        || maxUpstreamTimeout.compareTo(QueryMetadata.MAX_TIMEOUT) > 0) {
      throw bad("--max-upstream-timeout", Durations.format(maxUpstreamTimeout), "a duration from "
          + Durations.format(QueryMetadata.MIN_TIMEOUT) + " to " + Durations.format(QueryMetadata.MAX_TIMEOUT));
    }
    if (prometheusTimeout.compareTo(QueryMetadata.MIN_TIMEOUT) < 0 || prometheusTimeout.compareTo(maxUpstreamTimeout) > 0) {
      throw bad("--prometheus-timeout", Durations.format(prometheusTimeout), "a duration from "
          + Durations.format(QueryMetadata.MIN_TIMEOUT) + " to --max-upstream-timeout ("
          + Durations.format(maxUpstreamTimeout) + ")");
    }
    if (prometheusUrl != null && !prometheusUrl.isBlank()) {
      prometheusUrlCheck(prometheusUrl.trim());
    }
    if (refreshThreads < 1 || refreshThreads > 256) {
      throw bad("--refresh-threads", Integer.toString(refreshThreads), "an integer from 1 to 256");
    }
    if (staleAfter.compareTo(refreshInterval) <= 0) {
      throw bad("--stale-after", Durations.format(staleAfter),
          "a duration longer than --refresh-interval (" + Durations.format(refreshInterval) + ")");
    }
    if (shutdownGrace.compareTo(Duration.ofSeconds(9)) > 0) {
      throw bad("--shutdown-grace", Durations.format(shutdownGrace), "a duration up to 9s (shutdown must end within 10s)");
    }
    Optional<Path> token = Optional.ofNullable(prometheusBearerTokenFile);
    token.ifPresent(p -> readable("--prometheus-bearer-token-file", p));
    Map<String, String> kafkaProps = Map.of();
    if (kafkaClientProperties != null) {
      readable("--kafka-client-properties", kafkaClientProperties);
      kafkaProps = loadProperties(kafkaClientProperties);
    }
    ServerDefaults defaults = new ServerDefaults(blankToEmpty(prometheusUrl), token, prometheusTimeout,
        blankToEmpty(kafkaBootstrapServers), kafkaProps, refreshInterval, staleAfter, watchIdleExpiry,
        backends(token, kafkaProps));
    TlsFiles tls = new TlsFiles(Optional.ofNullable(tlsCertFile), Optional.ofNullable(tlsKeyFile),
        Optional.ofNullable(tlsClientCaFile));
    ServerLimits limits = ServerLimits.defaults().withWatches(maxWatches, maxWatchesPerNamespace)
        .withMemory(triggerMemoryBudgetMib * ServerLimits.MIB, maxTriggerMemoryMib * ServerLimits.MIB)
        .withConcurrentRefreshesPerNamespace(maxConcurrentRefreshesPerNamespace)
        .withMaxSeriesPerQuery(maxSeriesPerQuery).withStrictMetadata(strictMetadata)
        .withConcurrentRefreshesPerBackend(maxConcurrentRefreshesPerBackend).withMaxUpstreamTimeout(maxUpstreamTimeout);
    return new ScalerApp.Settings(grpcPort, metricsPort, defaults, tls, refreshThreads, firstRefreshWait, limits);
  }

  @Override
  public Integer call() throws Exception {
    ScalerApp.Settings s = settings();
    if (logFormat == LogFormat.json) {
      // the logger writes to System.err at each line: from here on every line is a JSON object
      System.setErr(JsonLogLines.over(new java.io.FileOutputStream(java.io.FileDescriptor.err)));
    }
    var log = LoggerFactory.getLogger(Main.class);
    BackendSignalFactory signals = new BackendSignalFactory(s.defaults(), s.limits(), Clock.systemUTC());
    ScalerApp app;
    try {
      app = ScalerApp.start(s, signals, signals, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      signals.close();
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      signals.close();
      log.error("event=startup_failed error=\"{}\"", e.toString());
      err().println("startup failed: " + e.getMessage());
      return 1;
    }
    log.info("event=settings prometheus_url={} prometheus_timeout={} kafka_bootstrap_servers={}"
            + " kafka_client_properties={} bearer_token_file={}",
        s.defaults().prometheusUrl().map(Main::redactUserInfo).orElse("-"),
        Durations.format(s.defaults().prometheusTimeout()), s.defaults().kafkaBootstrapServers().orElse("-"),
        kafkaClientProperties == null ? "-" : kafkaClientProperties + " (" + s.defaults().kafkaClientProperties().size()
            + " keys)", prometheusBearerTokenFile == null ? "-" : prometheusBearerTokenFile);
    Backends b = s.defaults().backends();
    log.info("event=backends prometheus={} kafka={} allow_undeclared={}",
        b.prometheus().stream().map(p -> p.name() + "=" + p.url() + (p.bearerTokenFile().isPresent() ? "+token" : "")
            + p.namespaces()).toList(),
        b.kafka().stream().map(k -> k.name() + "=" + String.join(",", k.bootstrapServers())
            + (k.clientProperties().isEmpty() ? "" : "+properties") + k.namespaces()).toList(),
        b.allowUndeclared());
    CountDownLatch stopped = StopOnSignal.install(app, shutdownGrace, () -> { });
    app.awaitTermination();
    stopped.await();
    return 0;
  }

  /**
   * The declared backends: the single-backend flags (the default backend of each kind, for every
   * namespace) plus the backends file. A credential flag without the server it is for is refused: it
   * would otherwise go to whatever address a trigger names.
   */
  private Backends backends(Optional<Path> token, Map<String, String> kafkaProps) {
    if (token.isPresent() && blankToEmpty(prometheusUrl).isEmpty()) {
      throw bad("--prometheus-bearer-token-file", token.get().toString(),
          "a token for the server of --prometheus-url, which is not set (declare other servers with their tokens"
              + " in --backends-file)");
    }
    if (kafkaClientProperties != null && blankToEmpty(kafkaBootstrapServers).isEmpty()) {
      throw bad("--kafka-client-properties", kafkaClientProperties.toString(),
          "properties for the cluster of --kafka-bootstrap-servers, which is not set (declare other clusters with"
              + " their properties in --backends-file)");
    }
    Backends b;
    try {
      b = Backends.fromFlags(blankToEmpty(prometheusUrl), token, blankToEmpty(kafkaBootstrapServers), kafkaProps,
          allowUndeclaredBackends);
    } catch (ConfigException e) {
      throw bad(e.key(), String.valueOf(e.value()), e.acceptedForm());
    }
    if (backendsFile == null) {
      return b;
    }
    readable("--backends-file", backendsFile);
    try {
      return b.plus(BackendsFile.read(backendsFile, allowUndeclaredBackends));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--backends-file': " + e.getMessage());
    }
  }

  private java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private void positive(String flag, long v) {
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw bad(flag, Long.toString(v), "a positive integer");
    }
  }

  private void prometheusUrlCheck(String url) {
    java.net.URI u;
    try {
      u = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw bad("--prometheus-url", url, "an http:// or https:// URL such as http://prometheus.monitoring:9090");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
        || (u.getPort() != -1 && (u.getPort() < 1 || u.getPort() > 65535))) {
      throw bad("--prometheus-url", redactUserInfo(url),
          "an http:// or https:// URL with a host (and a port from 1 to 65535), such as http://prometheus.monitoring:9090");
    }
  }

  private ParameterException bad(String flag, String value, String form) {
    return new ParameterException(spec.commandLine(),
        "Invalid value for option '" + flag + "': '" + value + "': expected " + form);
  }

  private void port(String flag, int p) {
    if (p < 0 || p > 65535) {
      throw bad(flag, Integer.toString(p), "a port from 0 to 65535");
    }
  }

  private void readable(String flag, Path p) {
    if (!Files.isReadable(p)) {
      throw bad(flag, p.toString(), "a readable file");
    }
  }

  private Map<String, String> loadProperties(Path file) {
    try {
      return BackendsFile.loadProperties("--kafka-client-properties", file);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option " + e.getMessage());
    }
  }

  private static Optional<String> blankToEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  static String redactUserInfo(String url) {
    return url.replaceFirst("//[^/@]+@", "//***@");
  }

  /** Durations in the Go/Kubernetes style, with the accepted form in the error. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value).filter(d -> !d.isNegative())
          .orElseThrow(() -> new CommandLine.TypeConversionException(
              "'" + value + "': expected a duration such as 500ms, 5s, 2m or 1h"));
    }
  }
}
