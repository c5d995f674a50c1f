package dev.legitscaler.loadtest.keda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.hpa.MetricTarget;
import dev.legitscaler.loadtest.hpa.MutableClock;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.hpa.ReconcileResult;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The emulator against an in-process ExternalScaler with scripted answers. */
class KedaHpaEmulatorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  ScriptedExternalScaler scaler;
  Server server;
  ManagedChannel channel;
  MutableClock clock;
  final List<KedaHpaEmulator.ScaleChange> changes = new ArrayList<>();
  final List<KedaHpaEmulator.SyncReport> syncs = new ArrayList<>();
  KedaHpaEmulator emulator;

  @BeforeEach
  void setUp() throws IOException {
    String name = InProcessServerBuilder.generateName();
    scaler = new ScriptedExternalScaler();
    server = InProcessServerBuilder.forName(name).addService(scaler).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    clock = new MutableClock(T0);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (emulator != null) {
      emulator.close();
    }
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  KedaHpaEmulator emulator(String yamlEdits, int initialReplicas, KedaHpaEmulator.TargetObserver observer) throws IOException {
    String yaml = Files.readString(Path.of("examples/hpa/scaledobject.yaml"));
    for (String edit : yamlEdits.isBlank() ? new String[0] : yamlEdits.split(";")) {
      String[] fr = edit.split("=>", -1);
      assertThat(yaml).contains(fr[0].trim());
      yaml = yaml.replace(fr[0].trim(), fr[1].trim());
    }
    ScaledObject so = ScaledObjectReader.parse(yaml, "so.yaml");
    emulator = KedaHpaEmulator.builder(so)
        .connector(address -> channel)
        .clock(clock)
        .initialReplicas(initialReplicas)
        .observer(observer)
        .listener(new KedaHpaEmulator.Listener() {
          @Override
          public void onScale(KedaHpaEmulator.ScaleChange change) {
            changes.add(change);
          }

          @Override
          public void onSync(KedaHpaEmulator.SyncReport report) {
            syncs.add(report);
          }
        })
        .build();
    return emulator;
  }

  KedaHpaEmulator emulator() throws IOException {
    return emulator("", 4, KedaHpaEmulator.TargetObserver.settled());
  }

  @Test
  void pollingCycleCallsGetMetricSpecThenGetMetricsAndIsActive() throws IOException {
    KedaHpaEmulator e = emulator();
    KedaHpaEmulator.PollReport r = e.poll();
    assertThat(scaler.rpcs()).containsExactly("GetMetricSpec", "GetMetrics", "IsActive");
    ScriptedExternalScaler.Call getMetrics = scaler.calls().get(1);
    // KEDA strips its s<i>- prefix and forwards the whole trigger metadata
    assertThat(getMetrics.metricName()).isEqualTo("legit-scaler");
    assertThat(getMetrics.name()).isEqualTo("model");
    assertThat(getMetrics.namespace()).isEqualTo("ml");
    assertThat(getMetrics.metadata()).containsEntry("scalerAddress", "legit-scaler.keda.svc:9090").containsEntry("metricEncoding", "replicas");
    assertThat(r.active()).isTrue();
    assertThat(r.metricMilli()).containsEntry("s0-legit-scaler", 4000L);
    assertThat(e.hpaSpec()).isPresent();
    assertThat(e.hpaSpec().get().metrics().get(0).target()).isEqualTo(new MetricTarget.AverageValue(1000));
  }

  @Test
  void hpaSyncGoesThroughTheAdapter() throws IOException {
    KedaHpaEmulator e = emulator();
    e.poll();
    scaler.clearCalls();
    e.sync();
    assertThat(scaler.rpcs()).containsExactly("GetMetricSpec", "GetMetrics", "IsActive");
  }

  @Test
  void noHpaBeforeTheFirstMetricSpec() throws IOException {
    KedaHpaEmulator e = emulator();
    KedaHpaEmulator.SyncReport r = e.sync();
    assertThat(r.result()).isEmpty();
    assertThat(scaler.rpcs()).isEmpty();
  }

  /**
   * The example ScaledObject (4..6, up and down 1 pod per 60 s, down window 300 s) against the scaler's
   * published replica count, one sync per 15 s. {@code values} is the value published before each sync.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ramp up, 1 pod per minute    | 6 6 6 6 6 6 6 6 6     | 5 5 5 5 6 6 6 6 6
      hold then down after window  | 4 4 4 4 4 4 4 4 4     | 4 4 4 4 4 4 4 4 4
      float 5.6 -> ceil 6          | 5.6 5.6 5.6 5.6 5.6   | 5 5 5 5 6
      float 5.2: 1.04 at 5 holds   | 5.2 5.2 5.2 5.2 5.2   | 5 5 5 5 5
      """)
  void scalesLikeTheHpa(String what, String values, String expected) throws IOException {
    KedaHpaEmulator e = emulator();
    e.poll();
    List<String> seen = new ArrayList<>();
    for (String v : values.split(" ")) {
      scaler.value(Double.parseDouble(v));
      e.sync();
      seen.add(String.valueOf(e.specReplicas()));
      clock.advance(Duration.ofSeconds(15));
    }
    assertThat(String.join(" ", seen)).isEqualTo(expected);
    assertThat(changes).allMatch(c -> c.source().equals("hpa"));
  }

  @Test
  void scaleDownWaitsForTheWindowThenOnePodPerMinute() throws IOException {
    KedaHpaEmulator e = emulator("", 6, KedaHpaEmulator.TargetObserver.settled());
    e.poll();
    scaler.value(4);
    List<Integer> at = new ArrayList<>();
    for (int t = 0; t <= 420; t += 15) {
      clock.set(T0.plusSeconds(t));
      e.sync();
      at.add(e.specReplicas());
    }
    // seeded with 6 at t=0: held through t=285; 300 s later 5, one more pod 60 s after that
    assertThat(at.get(19)).as("t=285").isEqualTo(6);
    assertThat(at.get(20)).as("t=300").isEqualTo(5);
    assertThat(at.get(23)).as("t=345").isEqualTo(5);
    assertThat(at.get(24)).as("t=360").isEqualTo(4);
    assertThat(changes).extracting(KedaHpaEmulator.ScaleChange::reason).containsExactly("ScaleDownLimit", "DesiredWithinRange");
  }

  /** GetMetrics fails: retried once per sync, counted once per sync; more than 3 failures → 1 × 6. */
  @Test
  void fallbackAfterFailureThreshold() throws IOException {
    KedaHpaEmulator e = emulator();
    e.poll();
    scaler.failGetMetrics(Status.UNAVAILABLE.withDescription("all signals stale"));
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      scaler.clearCalls();
      KedaHpaEmulator.SyncReport r = e.sync();
      assertThat(scaler.rpcs()).as("sync %d", i).containsExactly("GetMetricSpec", "GetMetrics", "GetMetrics");
      reasons.add(r.result().map(ReconcileResult::reason).orElseThrow() + (r.fallbackMetrics().isEmpty() ? "" : "+fallback"));
      clock.advance(Duration.ofSeconds(15));
    }
    assertThat(reasons).containsExactly("FailedGetExternalMetric", "FailedGetExternalMetric", "FailedGetExternalMetric",
        "ScaleUpLimit+fallback", "ScaleUpLimit+fallback", "ScaleUpLimit+fallback");
    assertThat(syncs.get(0).values().get("s0-legit-scaler")).isEqualTo("error: rpc error: code = UNAVAILABLE desc = all signals stale");
    assertThat(syncs.get(3).values().get("s0-legit-scaler")).isEqualTo("6");
    assertThat(e.specReplicas()).isEqualTo(5);
    // the scaler recovers: the count resets and the published value is used again
    scaler.failGetMetrics(null).value(5);
    KedaHpaEmulator.SyncReport ok = e.sync();
    assertThat(ok.fallbackMetrics()).isEmpty();
    assertThat(ok.values().get("s0-legit-scaler")).isEqualTo("5");
  }

  @Test
  void aFailingGetMetricSpecBypassesTheFallback() throws IOException {
    KedaHpaEmulator e = emulator();
    e.poll();
    scaler.clearCalls();
    scaler.failGetMetricSpec(Status.INTERNAL);
    for (int i = 0; i < 8; i++) {
      KedaHpaEmulator.SyncReport r = e.sync();
      assertThat(r.fallbackMetrics()).isEmpty();
      assertThat(r.result().get().reason()).isEqualTo("FailedGetExternalMetric");
      clock.advance(Duration.ofSeconds(15));
    }
    assertThat(scaler.rpcs()).doesNotContain("GetMetrics");
    assertThat(e.specReplicas()).isEqualTo(4);
  }

  /** A scaler slower than the adapter's deadline counts as a failure (the call is cut, not waited for). */
  @Test
  void deadlineExceededIsAFailure() throws IOException {
    KedaHpaEmulator e = KedaHpaEmulator.builder(ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml")))
        .connector(address -> channel).clock(clock).initialReplicas(4).deadline(Duration.ofMillis(300))
        .listener(changes::add).build();
    emulator = e;
    // on a busy machine the very first calls (class loading) may miss a short deadline: poll until the HPA exists
    for (int i = 0; i < 10 && e.hpaSpec().isEmpty(); i++) {
      e.poll();
    }
    assertThat(e.hpaSpec()).isPresent();
    scaler.delayGetMetrics(5_000);
    KedaHpaEmulator.SyncReport r = e.sync();
    assertThat(r.result().get().reason()).isEqualTo("FailedGetExternalMetric");
    assertThat(r.values().get("s0-legit-scaler")).startsWith("error: rpc error: code = DEADLINE_EXCEEDED");
  }

  /** Value metricType multiplies by ready pods, which the platform reports through the observer. */
  @Test
  void valueMetricUsesReadyPodsFromThePlatform() throws IOException {
    KedaHpaEmulator e = emulator("fallback:\n    failureThreshold: 3\n    replicas: 6=>;- type: external=>- type: external\n      metricType: Value",
        4, n -> new KedaHpaEmulator.Observed(n, new PodCounts(n, 2)));
    e.poll();
    // U/T = 1.5 × 2 ready pods = 3 → clamped to min 4: no change; 3.0 × 2 = 6 → 5 (1 pod per minute)
    scaler.value(1.5);
    assertThat(e.sync().result().get().metricProposal()).contains(3);
    scaler.value(3.0);
    assertThat(e.sync().result().get().metricProposal()).contains(6);
    assertThat(e.specReplicas()).isEqualTo(5);
  }

  /** minReplicaCount 0: KEDA activates 0 → 1 and deactivates after cooldownPeriod without activity. */
  @Test
  void activationAndCooldown() throws IOException {
    KedaHpaEmulator e = emulator("minReplicaCount: 4=>minReplicaCount: 0;cooldownPeriod: 300=>cooldownPeriod: 60", 0,
        KedaHpaEmulator.TargetObserver.settled());
    scaler.active(false);
    e.poll();
    assertThat(e.specReplicas()).isZero();
    assertThat(e.sync().result().get().reason()).isEqualTo("ScalingDisabled");
    scaler.active(true).value(1);
    clock.advance(Duration.ofSeconds(15));
    e.poll();
    assertThat(e.specReplicas()).isEqualTo(1);
    scaler.active(false);
    clock.advance(Duration.ofSeconds(60));
    e.poll();
    assertThat(e.specReplicas()).as("exactly cooldownPeriod later: not yet").isEqualTo(1);
    clock.advance(Duration.ofSeconds(15));
    e.poll();
    assertThat(e.specReplicas()).isZero();
    assertThat(changes).extracting(KedaHpaEmulator.ScaleChange::source).containsExactly("keda-activation", "keda-cooldown");
  }

  /** start() runs both loops at once; the test only waits for them to have run (no timing assertion). */
  @Test
  void startRunsBothLoops() throws Exception {
    CountDownLatch polled = new CountDownLatch(1);
    CountDownLatch synced = new CountDownLatch(1);
    KedaHpaEmulator e = KedaHpaEmulator.builder(ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml")))
        .connector(address -> channel).clock(clock).initialReplicas(4)
        .listener(new KedaHpaEmulator.Listener() {
          @Override
          public void onScale(KedaHpaEmulator.ScaleChange change) {}

          @Override
          public void onPoll(KedaHpaEmulator.PollReport report) {
            polled.countDown();
          }

          @Override
          public void onSync(KedaHpaEmulator.SyncReport report) {
            if (report.result().isPresent()) {
              synced.countDown();
            }
          }
        }).build();
    emulator = e;
    e.start();
    assertThat(polled.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
    e.close();
    assertThat(scaler.rpcs()).startsWith("GetMetricSpec", "GetMetrics", "IsActive", "GetMetricSpec", "GetMetrics", "IsActive");
  }

  /**
   * start(toWall) on a time-scaled clock: the loops wait pollingInterval and the sync period converted to
   * wall time (here 1/1000), so several polls happen within the time one unscaled poll period would take.
   */
  @Test
  void startOnAScaledClockPollsAtTheScaledPeriods() throws Exception {
    CountDownLatch polls = new CountDownLatch(5);
    KedaHpaEmulator e = KedaHpaEmulator.builder(ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml")))
        .connector(address -> channel).clock(clock).initialReplicas(4)
        .listener(new KedaHpaEmulator.Listener() {
          @Override
          public void onScale(KedaHpaEmulator.ScaleChange change) {}

          @Override
          public void onPoll(KedaHpaEmulator.PollReport report) {
            polls.countDown();
          }
        }).build();
    emulator = e;
    e.start(d -> d.dividedBy(1000));
    // unscaled, five polls take four pollingIntervals (at least 60 s): within one they show the scaling
    long pollingMillis = ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml")).pollingIntervalSeconds() * 1000L;
    assertThat(polls.await(pollingMillis, TimeUnit.MILLISECONDS)).isTrue();
    e.close();
  }
}
