package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.alerting.AlertingStack;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.keda.KedaHpaEmulator;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScalerConnector;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.platform.FreePorts;
import dev.legitscaler.loadtest.platform.KafkaBrokerProcess;
import dev.legitscaler.loadtest.platform.KubeStateExporter;
import dev.legitscaler.loadtest.platform.ModelReplicaSet;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import dev.legitscaler.loadtest.platform.PrometheusConfig;
import dev.legitscaler.loadtest.platform.PrometheusProcess;
import dev.legitscaler.loadtest.platform.RoundRobinProxy;
import dev.legitscaler.loadtest.platform.ScalerProcess;
import dev.legitscaler.loadtest.scenario.ModelCapacity;
import dev.legitscaler.loadtest.scenario.ScenarioDurations;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole system on this machine, on loopback and free ports: Kafka (KRaft, child JVM), Prometheus
 * with the project's rules, Alertmanager with local sinks, legit-scaler, the model replicas (child
 * JVMs), a kube-state exporter and the KEDA + HPA emulator that scales them. Every process belongs to
 * one {@link ProcessGroup}.
 *
 * <p>Time scaling (factor k, scenario time runs k times faster than wall time): model replicas serve
 * k× faster (service time / k) and their start delay is the offline evaluation's pod start delay / k,
 * so loads are unchanged; the emulator reads the {@link ScenarioClock} and polls/syncs every
 * pollingInterval/k and 15 s/k of wall time; the scaler refreshes every max(0.5 s, 5 s/k) with
 * staleAfter max(10 s, 60 s/k); Prometheus scrapes and evaluates every max(1 s, 15 s/k); the rule
 * files' durations and Alertmanager's timers are multiplied by 1/k ({@link AlertingStack}).
 *
 * <p>The building blocks (Kafka with its topic, the scaler, Prometheus) are also what
 * {@code loadtest quickstart} starts.
 */
public final class LocalPlatform implements Environment {
  /** Real-time defaults that the time scale divides. */
  static final Duration SCALER_REFRESH = Duration.ofSeconds(5);
  static final Duration SCALER_STALE_AFTER = Duration.ofSeconds(60);
  static final Duration SCRAPE = Duration.ofSeconds(15);

  /**
   * What to start.
   *
   * @param partitions partitions of the request topic (the offline evaluation's, so KEDA's lag cap agrees)
   * @param podStartDelay scenario time from the HPA adding a replica to it serving (the evaluation's)
   * @param targetUrl send the traffic through workers to this HTTP model instead of the replicas' Kafka loop
   */
  record Options(Path out, Path scalerJar, String prometheusBinary, Path repoRoot, boolean alerting, boolean http,
      String targetUrl, int workersConcurrency, int partitions, Duration podStartDelay, double timeScale) {
    Duration scaled(Duration d) {
      return Duration.ofNanos(Math.max(1_000_000L, (long) (d.toNanos() / timeScale)));
    }
  }

  private final Options options;
  private final ProcessGroup pg;
  private final ScaledObject so;
  private final ModelReplicaSet replicas;
  private final AtomicInteger spec;
  private final AlertingStack alerting;
  private final Addresses addresses;
  private KedaHpaEmulator emulator;

  private LocalPlatform(Options options, ProcessGroup pg, ScaledObject so, ModelReplicaSet replicas, AtomicInteger spec,
      AlertingStack alerting, Addresses addresses) {
    this.options = options;
    this.pg = pg;
    this.so = so;
    this.replicas = replicas;
    this.spec = spec;
    this.alerting = alerting;
    this.addresses = addresses;
  }

  /** Starts everything and waits until the minimum replicas are ready and scraped; on failure stops what started. */
  static LocalPlatform start(Options o, ScaledObject manifest, ModelCapacity capacity, PrintStream say) throws Exception {
    Duration startTimeout = Duration.ofSeconds(120);
    Trigger trigger = manifest.triggers().get(0);
    String topic = trigger.metadata().getOrDefault("topic", "model-requests");
    String group = trigger.metadata().getOrDefault("consumerGroup", "model");
    ProcessGroup pg = new ProcessGroup();
    try {
      say.println("run: starting Kafka (KRaft, child JVM) ...");
      KafkaBrokerProcess kafka = startKafka(pg, o.out().resolve("kafka"), startTimeout, topic, o.partitions());
      say.println("run:   Kafka at " + kafka.bootstrapServers() + ", topic " + topic + " (" + o.partitions() + " partitions)");

      // scenario-time values and K: the replica divides them itself, without rounding to whole ms
      long serviceNanos = Math.round(capacity.workerSlotsOrDefault() * 1e9 / capacity.capacityOrDefault());
      List<String> args = new ArrayList<>();
      if (!o.http()) {
        args.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--group", group,
            "--predictions-topic", "none"));
      }
      args.addAll(List.of("--slots", Integer.toString(capacity.workerSlotsOrDefault()),
          "--service-time", String.format(Locale.ROOT, "%.3fms", serviceNanos / 1e6),
          "--saturation-window", "5s", "--time-scale", Double.toString(o.timeScale())));
      ModelReplicaSet replicas = pg.add(new ModelReplicaSet(o.out().resolve("models"), new ModelReplicaSet.Spec(args,
          manifest.namespace(), manifest.scaleTargetName(), o.scaled(o.podStartDelay()))));
      AtomicInteger spec = new AtomicInteger(manifest.minReplicaCount());
      KubeStateExporter kube = pg.add(new KubeStateExporter(new KubeStateExporter.Target(manifest.namespace(),
          manifest.scaleTargetName(), manifest.hpaName(), manifest.minReplicaCount(), manifest.maxReplicaCount()),
          spec::get, replicas::total, replicas::ready));
      // the initial replicas start now, so they are up (and ModelReplicasBelowMinimum quiet) by the time the rules run
      replicas.scaleTo(manifest.minReplicaCount());

      Path promDir = o.out().resolve("prometheus").toAbsolutePath();
      Files.createDirectories(promDir);
      AlertingStack alerting = null;
      if (o.alerting()) {
        say.println("run: starting Alertmanager with local sinks (webhooks per escalation level, SMTP) ...");
        alerting = AlertingStack.start(o.out().resolve("alerting"), o.repoRoot(), o.timeScale(), pg);
        say.println("run:   Alertmanager at " + alerting.alertmanagerUrl());
      }
      // the scaler first (pointed at Prometheus' port-to-be), so that the rules never see a platform
      // without a scaler target (LegitScalerDown would fire during start-up)
      int promPort = FreePorts.next();
      say.println("run: starting legit-scaler ...");
      // floors: below them a loaded machine makes signals look stale although nothing is wrong
      ScalerProcess scaler = startScaler(pg, o.scalerJar(), o.out().resolve("scaler"), "http://127.0.0.1:" + promPort,
          kafka.bootstrapServers(), Duration.ofMillis(Math.max(500, o.scaled(SCALER_REFRESH).toMillis())),
          Optional.of(Duration.ofMillis(Math.max(10_000, o.scaled(SCALER_STALE_AFTER).toMillis()))), startTimeout);
      say.println("run:   legit-scaler gRPC at " + scaler.grpcAddress() + ", metrics at http://" + scaler.metricsAddress() + "/metrics");

      Duration scrape = Duration.ofMillis(Math.max(1000, Math.min(SCRAPE.toMillis(), Math.round(SCRAPE.toMillis() / o.timeScale()))));
      List<Path> rules = alerting == null ? List.of() : alerting.ruleFiles();
      PrometheusConfig config = new PrometheusConfig(scrape, rules, List.of(
          // the model replicas, discovered like a PodMonitor would: namespace and pod target labels
          PrometheusConfig.ScrapeJob.discovered("model", false, replicas.targetsFile()),
          // the scaler: job name contains legit-scaler, honor_labels keeps its namespace label (docs/metrics.md)
          PrometheusConfig.ScrapeJob.fixed("legit-scaler", true, List.of(scaler.metricsAddress())),
          PrometheusConfig.ScrapeJob.fixed("kube-state-metrics", true, List.of(kube.target()))),
          alerting == null ? List.of() : List.of(alerting.alertmanagerTarget()));
      say.println("run: starting Prometheus (scrape/evaluation every " + ScenarioDurations.format(scrape) + ", "
          + rules.size() + " rule files scaled by 1/" + o.timeScale() + ") ...");
      PrometheusProcess prom = startPrometheus(pg, o.prometheusBinary(), promDir, config, startTimeout, promPort);
      say.println("run:   Prometheus at " + prom.baseUrl());

      say.println("run: waiting for " + manifest.minReplicaCount() + " model replicas (child JVMs) ...");
      MetricsReader metrics = new MetricsReader();
      awaitCondition("model replicas ready", startTimeout, () -> replicas.ready() >= manifest.minReplicaCount());
      awaitCondition("Prometheus scraping the replicas", startTimeout, () -> metrics.query(prom.baseUrl(),
          "ml_model_saturation_ratio{namespace=\"" + manifest.namespace() + "\"}").size() >= manifest.minReplicaCount());

      if (!o.http() && o.targetUrl() == null) {
        // a replica serves only once the group has handed it partitions: traffic sent while the group
        // still forms queues up unconsumed and then saturates the replicas while they catch up
        say.println("run: waiting for consumer group " + group + " to assign the " + o.partitions() + " partitions to "
            + manifest.minReplicaCount() + " replicas ...");
        awaitGroupAssigned(kafka.bootstrapServers(), group, manifest.minReplicaCount(), o.partitions(), startTimeout);
      }
      if (o.http() || o.targetUrl() != null) {
        String url = o.targetUrl();
        if (url == null) {
          RoundRobinProxy service = pg.add(new RoundRobinProxy(replicas::readyUrls));
          url = service.baseUrl() + "/predict";
          say.println("run:   HTTP models behind " + url + " (round robin over the ready replicas)");
        }
        WorkersProcess.start(pg, o.out(), kafka.bootstrapServers(), topic, group, url, o.workersConcurrency(), say);
      }
      ScaledObject local = LocalScaledObject.of(manifest, new LocalScaledObject.Addresses(scaler.grpcAddress(),
          prom.baseUrl(), kafka.bootstrapServers()), o.timeScale());
      // KEDA has long been polling a ScaledObject before a scenario would begin: its watch must publish from
      // the scenario's first second, or the HPA starts without recommendations and the first value above
      // the minimum (a lag blip while the signals settle) scales at once, past the stabilization window
      say.println("run: waiting for legit-scaler to publish for " + local.namespace() + "/" + local.name() + " ...");
      awaitScalerValue(local, startTimeout);
      return new LocalPlatform(o, pg, local, replicas, spec, alerting, new Addresses(kafka.bootstrapServers(),
          prom.baseUrl(), Optional.of("http://" + scaler.metricsAddress() + "/metrics")));
    } catch (Exception | Error e) {
      pg.close();
      throw e;
    }
  }

  /** A KRaft broker in a child JVM, with the request topic created. */
  public static KafkaBrokerProcess startKafka(ProcessGroup pg, Path dir, Duration timeout, String topic, int partitions)
      throws Exception {
    KafkaBrokerProcess kafka = pg.add(KafkaBrokerProcess.start(dir, timeout));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    return kafka;
  }

  /** legit-scaler from its jar, reading this Prometheus and Kafka. */
  public static ScalerProcess startScaler(ProcessGroup pg, Path jar, Path dir, String prometheusUrl, String kafka,
      Duration refresh, Optional<Duration> staleAfter, Duration timeout) throws IOException {
    List<String> flags = new ArrayList<>(List.of("--prometheus-url", prometheusUrl, "--kafka-bootstrap-servers", kafka,
        "--refresh-interval", refresh.toMillis() + "ms"));
    staleAfter.ifPresent(s -> flags.addAll(List.of("--stale-after", s.toMillis() + "ms")));
    return pg.add(ScalerProcess.start(jar.toAbsolutePath(), dir, flags, timeout));
  }

  /** Prometheus on {@code port} with this configuration. */
  public static PrometheusProcess startPrometheus(ProcessGroup pg, String binary, Path dir, PrometheusConfig config,
      Duration timeout, int port) throws IOException {
    return pg.add(PrometheusProcess.start(binary, dir, config.yaml(), timeout, port));
  }

  @Override
  public String mode() {
    return "local";
  }

  @Override
  public Addresses addresses() {
    return addresses;
  }

  @Override
  public ScaledObject scaledObject() {
    return so;
  }

  @Override
  public ProcessGroup processes() {
    return pg;
  }

  /** The KEDA + HPA emulator, started through its own {@link KedaHpaEmulator#start(java.util.function.UnaryOperator)}. */
  @Override
  public synchronized void startScaling(ScenarioClock clock, PrintStream say) {
    if (emulator != null) {
      throw new IllegalStateException("scaling already started");
    }
    emulator = pg.add(KedaHpaEmulator.builder(so)
        .clock(clock)
        .connector(ScalerConnector.plaintext())
        .observer(n -> new KedaHpaEmulator.Observed(replicas.total(),
            new PodCounts(replicas.total(), Math.min(replicas.total(), replicas.ready()))))
        .listener(change -> {
          spec.set(change.to());
          replicas.scaleTo(change.to());
          say.printf(Locale.ROOT, "  [t=%s] scale %d -> %d (%s: %s)%n", ScenarioDurations.format(
              Duration.ofSeconds(clock.elapsed().toSeconds())), change.from(), change.to(), change.source(), change.reason());
        })
        .build());
    emulator.start(clock::wall);
  }

  @Override
  public synchronized OptionalInt specReplicas() {
    return emulator == null ? OptionalInt.of(spec.get()) : OptionalInt.of(emulator.specReplicas());
  }

  @Override
  public boolean alerting() {
    return alerting != null;
  }

  @Override
  public Optional<Integer> notificationCount() {
    return alerting == null ? Optional.empty() : Optional.of(alerting.notifications().size());
  }

  @Override
  public List<Notification> notifications(ScenarioClock clock) {
    if (alerting == null) {
      return List.of();
    }
    return alerting.notifications().stream().map(n -> new Notification(n.receiver(), n.channel().wire(), n.alertname(),
        n.status().wire(), clock.scenarioSeconds(n.receivedAt()))).toList();
  }

  @Override
  public Map<String, Object> params() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("partitions", options.partitions());
    p.put("podStartDelaySeconds", options.podStartDelay().toMillis() / 1000.0);
    return p;
  }

  @Override
  public void close() {
    pg.close();
  }

  /** Until the consumer group is stable with {@code members} members holding all {@code partitions} partitions. */
  private static void awaitGroupAssigned(String bootstrap, String group, int members, int partitions, Duration timeout)
      throws InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      awaitCondition("consumer group " + group + " assigned", timeout, () -> {
        try {
          ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
              .get(5, TimeUnit.SECONDS);
          int assigned = d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
          return d.state() == ConsumerGroupState.STABLE && d.members().size() >= members && assigned >= partitions;
        } catch (ExecutionException | TimeoutException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
    }
  }

  /** GetMetricSpec, then GetMetrics until the scaler answers with a value (its watch has refreshed once). */
  private static void awaitScalerValue(ScaledObject so, Duration timeout) throws InterruptedException {
    Trigger t = so.triggers().get(0);
    ScaledObjectRef ref = so.ref(t);
    ManagedChannel channel = ManagedChannelBuilder.forTarget(t.metadata().get("scalerAddress")).usePlaintext().build();
    try {
      ExternalScalerGrpc.ExternalScalerBlockingStub stub = ExternalScalerGrpc.newBlockingStub(channel);
      awaitCondition("legit-scaler publishing a value", timeout, () -> {
        try {
          String metric = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getMetricSpec(ref).getMetricSpecs(0).getMetricName();
          stub.withDeadlineAfter(5, TimeUnit.SECONDS).getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
              .setMetricName(metric).build());
          return true;
        } catch (StatusRuntimeException e) {
          return false; // warming up: not every signal has been read yet
        }
      });
    } finally {
      channel.shutdownNow();
    }
  }

  private static void awaitCondition(String what, Duration timeout, BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }
}
