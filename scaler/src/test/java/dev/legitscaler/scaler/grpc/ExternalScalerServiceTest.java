package dev.legitscaler.scaler.grpc;

import static dev.legitscaler.scaler.grpc.InProcessHarness.md;
import static dev.legitscaler.scaler.grpc.InProcessHarness.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.diagnostics.v1.ListRequest;
import dev.legitscaler.proto.diagnostics.v1.ListResponse;
import dev.legitscaler.proto.externalscaler.GetMetricSpecResponse;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.GetMetricsResponse;
import dev.legitscaler.proto.externalscaler.IsActiveResponse;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every RPC over an in-process server with in-memory signals. */
class ExternalScalerServiceTest {
  private InProcessHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new InProcessHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  private GetMetricsResponse getMetrics(ScaledObjectRef ref, String metric) {
    return h.blocking.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(metric).build());
  }

  private String metricName(ScaledObjectRef ref) {
    return h.blocking.getMetricSpec(ref).getMetricSpecs(0).getMetricName();
  }

  @Test
  void metricSpecIsOneReplicaEncodedSpecFromMetadata() {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    GetMetricSpecResponse spec = h.blocking.getMetricSpec(ref);
    assertThat(spec.getMetricSpecsList()).hasSize(1);
    assertThat(spec.getMetricSpecs(0).getMetricName()).matches("[a-z0-9-]+").startsWith("legitscaler-ml-model-");
    assertThat(spec.getMetricSpecs(0).getTargetSize()).isEqualTo(1);
    assertThat(spec.getMetricSpecs(0).getTargetSizeFloat()).isEqualTo(1.0);
    assertThat(h.blocking.getMetricSpec(ref)).isEqualTo(spec);
  }

  @Test
  void loadEncodedSpecIsTargetLoadPerMille() {
    GetMetricSpecResponse spec = h.blocking.getMetricSpec(
        ref("ml", "model", md("loadQuery", "q", "targetLoad", "0.7", "metricEncoding", "load")));
    assertThat(spec.getMetricSpecs(0).getTargetSize()).isEqualTo(700);
    assertThat(spec.getMetricSpecs(0).getTargetSizeFloat()).isEqualTo(700.0);
  }

  @Test
  void getMetricsReturnsExactlyOneValueWithIntAndFloatFilled() {
    h.signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    String name = metricName(ref);
    h.refresh(ref);
    GetMetricsResponse r = getMetrics(ref, name);
    assertThat(r.getMetricValuesList()).hasSize(1);
    assertThat(r.getMetricValues(0).getMetricName()).isEqualTo(name);
    assertThat(r.getMetricValues(0).getMetricValue()).isEqualTo(5);
    assertThat(r.getMetricValues(0).getMetricValueFloat()).isEqualTo(5.0);
    // KEDA's HPA-side name carries the trigger index prefix; both are accepted
    assertThat(getMetrics(ref, "s0-" + name).getMetricValuesList()).hasSize(1);
  }

  @Test
  void loadEncodedValueIsPerMilleInBothFields() {
    h.signals.setLoad("ml", "model", 0.5, 0.6);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "metricEncoding", "load"));
    h.refresh(ref);
    GetMetricsResponse r = getMetrics(ref, metricName(ref));
    assertThat(r.getMetricValues(0).getMetricValue()).isEqualTo(1100);
    assertThat(r.getMetricValues(0).getMetricValueFloat()).isEqualTo(1100.0);
  }

  @Test
  void unknownMetricNameIsNotFound() {
    h.signals.setLoad("ml", "model", 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    h.refresh(ref);
    assertThatThrownBy(() -> getMetrics(ref, "something-else"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains(metricName(ref));
        });
  }

  @Test
  void badMetadataIsInvalidArgumentNamingKeyValueAndForm() {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "maxReplicas", "lots"));
    for (Runnable call : List.<Runnable>of(
        () -> h.blocking.getMetricSpec(ref),
        () -> getMetrics(ref, "x"),
        () -> h.blocking.isActive(ref))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains("'maxReplicas'", "'lots'", "an integer from");
      });
    }
    assertThat(h.registry.size()).isZero();
  }

  @Test
  void noSignalConfiguredIsInvalidArgument() {
    assertThatThrownBy(() -> h.blocking.getMetricSpec(ref("ml", "model", md())))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("loadQuery", "at least one demand signal");
        });
  }

  @Test
  void staleSignalsGiveUnavailableWhileGetMetricSpecStillAnswers() {
    h.signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    String name = metricName(ref);
    h.refresh(ref);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(5);

    h.signals.fail("load", "ml", "model", "connect");
    h.clock.advance(Duration.ofMinutes(21));
    h.refresh(ref);
    for (Runnable call : List.<Runnable>of(() -> getMetrics(ref, name), () -> h.blocking.isActive(ref))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains("stale");
      });
    }
    assertThat(h.blocking.getMetricSpec(ref).getMetricSpecs(0).getMetricName()).isEqualTo(name);

    h.signals.heal("load", "ml", "model");
    h.refresh(ref);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(5);
  }

  @Test
  void snapshotThatAgedPastStaleAfterIsUnavailableEvenWithoutRefresh() {
    h.signals.setLoad("ml", "model", 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    h.refresh(ref);
    h.clock.advance(Duration.ofMinutes(21)); // the refresher made no progress meanwhile
    assertThatThrownBy(() -> getMetrics(ref, metricName(ref)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void partialDataNeverLowersThePublishedValue() {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "topic", "requests", "lagThreshold", "10"));
    String name = metricName(ref);
    h.signals.setLoad("ml", "model", 0.3, 0.3, 0.3, 0.3);
    h.signals.setLag("ml", "model", 60, true);
    h.refresh(ref);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(6);

    // lag fails; the remaining fresh load alone would say 4
    h.signals.fail("lag", "ml", "model", "timeout");
    h.clock.advance(Duration.ofMinutes(21));
    h.refresh(ref);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(6);
    Explanation ex = h.diagnostics.explain(ref);
    assertThat(ex.getState()).isEqualTo("partial");
    assertThat(ex.getDecision().getHeldByPartialData()).isTrue();
    assertThat(ex.getLag().getStatus().getLastError()).contains("timeout");

    // lag back and low: fresh data may lower
    h.signals.heal("lag", "ml", "model");
    h.signals.setLag("ml", "model", 0, false);
    h.refresh(ref);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(4);
  }

  @Test
  void getMetricsBeforeFirstRefreshWaitsBrieflyThenUnavailable() throws Exception {
    h.close();
    h = new InProcessHarness(Duration.ofMillis(300));
    CountDownLatch gate = h.signals.block();
    h.signals.setLoad("ml", "model", 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    String name = metricName(ref);
    assertThatThrownBy(() -> getMetrics(ref, name)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("warming up");
    });
    gate.countDown();
    h.registry.watch("ml", "model", ref.getScalerMetadataMap()).firstSnapshot().get(10, TimeUnit.SECONDS);
    assertThat(getMetrics(ref, name).getMetricValues(0).getMetricValue()).isEqualTo(4);
  }

  @Test
  void getMetricsWaitingForTheFirstRefreshAnswersWhenItCompletes() throws Exception {
    CountDownLatch gate = h.signals.block();
    h.signals.setLoad("ml", "model", 0.7, 0.7, 0.7, 0.7, 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    String name = metricName(ref);
    var future = dev.legitscaler.proto.externalscaler.ExternalScalerGrpc.newFutureStub(h.channel)
        .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(name).build());
    gate.countDown();
    assertThat(future.get(10, TimeUnit.SECONDS).getMetricValues(0).getMetricValue()).isEqualTo(5);
  }

  @Test
  void isActiveFollowsActivationThreshold() {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "minReplicas", "0", "activationThreshold", "1"));
    h.signals.setLoad("ml", "model", 0.2);
    h.refresh(ref);
    assertThat(h.blocking.isActive(ref).getResult()).isFalse();
    h.signals.setLoad("ml", "model", 0.8);
    h.refresh(ref);
    assertThat(h.blocking.isActive(ref).getResult()).isTrue();
  }

  @Test
  void streamIsActiveSendsTrueOnlyOnInactiveToActiveEdges() throws Exception {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "minReplicas", "0", "activationThreshold", "1"));
    h.signals.setLoad("ml", "model", 0.2);
    var w = h.refresh(ref);
    BlockingQueue<Boolean> received = new LinkedBlockingQueue<>();
    h.async.streamIsActive(ref, new StreamObserver<>() {
      @Override
      public void onNext(IsActiveResponse v) {
        received.add(v.getResult());
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    waitUntil(w::hasSubscribers);
    h.signals.setLoad("ml", "model", 0.8);
    w.refreshNow(); // inactive -> active: true
    assertThat(received.poll(10, TimeUnit.SECONDS)).isTrue();
    w.refreshNow(); // still active: nothing
    h.signals.setLoad("ml", "model", 0.1);
    w.refreshNow(); // active -> inactive: nothing
    h.signals.setLoad("ml", "model", 0.9);
    w.refreshNow(); // inactive -> active again: true
    assertThat(received.poll(10, TimeUnit.SECONDS)).isTrue();
    // messages on a stream arrive in order: anything sent in between would have been received first
    assertThat(received).isEmpty();
  }

  @Test
  void streamMetricSpecFirstMessageEqualsGetMetricSpec() throws Exception {
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q", "metricEncoding", "load"));
    BlockingQueue<GetMetricSpecResponse> received = new LinkedBlockingQueue<>();
    h.async.streamMetricSpec(ref, new StreamObserver<>() {
      @Override
      public void onNext(GetMetricSpecResponse v) {
        received.add(v);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    GetMetricSpecResponse first = received.poll(10, TimeUnit.SECONDS);
    assertThat(first).isEqualTo(h.blocking.getMetricSpec(ref));
  }

  @Test
  void explainShowsEveryTermScoreAndConfig() {
    ScaledObjectRef ref = ref("ml", "model",
        md("loadQuery", "q", "topic", "requests", "lagThreshold", "10", "legitimacySource", "kafka"));
    h.signals.setLoad("ml", "model", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
    h.signals.setLag("ml", "model", 30, true);
    h.signals.setLegitimacy("ml", "model", new LegitimacyReading(0.5, true, List.of("HEAVY_HITTERS"),
        Map.of("entropy", 1.2), List.of(new LegitimacyReading.FlaggedClient("bot-1", 900, "HEAVY_HITTER")), 0));
    h.refresh(ref);
    Explanation ex = h.diagnostics.explain(ref);
    assertThat(ex.getMetricName()).isEqualTo(metricName(ref));
    assertThat(ex.getMetricEncoding()).isEqualTo("replicas");
    assertThat(ex.getState()).isEqualTo("fresh");
    assertThat(ex.getPublishedValue()).isEqualTo(5);
    assertThat(ex.getPublishedValueFloat()).isEqualTo(5.0);
    assertThat(ex.getLoad().getInstancesList()).hasSize(6);
    assertThat(ex.getLoad().getSum()).isEqualTo(6.0);
    assertThat(ex.getLoad().getDemand()).isCloseTo(6 / 0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ex.getLag().getTotalLag()).isEqualTo(30);
    assertThat(ex.getLag().getDemand()).isEqualTo(3.0);
    assertThat(ex.getLegitimacy().getScore()).isEqualTo(0.5);
    assertThat(ex.getLegitimacy().getAppliedScore()).isEqualTo(0.5);
    assertThat(ex.getLegitimacy().getAttack()).isTrue();
    assertThat(ex.getLegitimacy().getReasonsList()).containsExactly("HEAVY_HITTERS");
    assertThat(ex.getLegitimacy().getTopFlagged(0).getClient()).isEqualTo("bot-1");
    assertThat(ex.getDecision().getRawDemand()).isCloseTo(6 / 0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ex.getDecision().getScoredDemand()).isCloseTo(3 / 0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ex.getDecision().getCeil()).isEqualTo(5);
    assertThat(ex.getDecision().getClamp()).isEqualTo("none");
    assertThat(ex.getConfig()).containsEntry("minReplicas", "4").containsEntry("legitimacySource", "kafka");
    assertThat(ex.getSummary()).contains("publish 5");
    assertThat(ex.getDecidedAt()).isEqualTo("2026-01-01T00:00:00Z");
    // without metadata: the ScaledObject's watch is found by name
    assertThat(h.diagnostics.explain(ScaledObjectRef.newBuilder().setNamespace("ml").setName("model").build()))
        .isEqualTo(ex);
  }

  @Test
  void explainUnknownIsNotFoundAndListShowsWatches() {
    assertThatThrownBy(() -> h.diagnostics.explain(ScaledObjectRef.newBuilder().setNamespace("x").setName("y").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    h.signals.setLoad("ml", "a", 0.7);
    h.signals.setLoad("ml", "b", 0.7);
    h.refresh(ref("ml", "a", md("loadQuery", "q")));
    h.refresh(ref("ml", "b", md("loadQuery", "q")));
    h.clock.advance(Duration.ofSeconds(3));
    ListResponse list = h.diagnostics.list(ListRequest.getDefaultInstance());
    assertThat(list.getWatchesList()).extracting(s -> s.getName()).containsExactly("a", "b");
    assertThat(list.getWatches(0).getState()).isEqualTo("fresh");
    assertThat(list.getWatches(0).getPublishedValue()).isEqualTo(4);
    assertThat(list.getWatches(0).getAgeSeconds()).isEqualTo(3.0);
    assertThat(list.getWatches(0).getIdleSeconds()).isEqualTo(3.0);
    assertThat(list.getWatches(0).getMetadataHash()).hasSize(10);
  }

  @Test
  void healthServesOverallAndPerService() {
    var health = HealthGrpc.newBlockingStub(h.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    for (String s : List.of("", "externalscaler.ExternalScaler", "legitscaler.diagnostics.v1.Diagnostics")) {
      assertThat(health.check(HealthCheckRequest.newBuilder().setService(s).build()).getStatus())
          .as(s).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void interceptorCountsCallsByMethodAndCode() throws Exception {
    h.signals.setLoad("ml", "model", 0.7);
    ScaledObjectRef ref = ref("ml", "model", md("loadQuery", "q"));
    h.refresh(ref);
    getMetrics(ref, metricName(ref));
    assertThatThrownBy(() -> h.blocking.getMetricSpec(ref("ml", "model", md())));
    String text = scrape();
    assertThat(text).contains(
        "legitscaler_grpc_requests_total{code=\"OK\",method=\"externalscaler.ExternalScaler/GetMetrics\"} 1.0",
        "legitscaler_grpc_requests_total{code=\"INVALID_ARGUMENT\",method=\"externalscaler.ExternalScaler/GetMetricSpec\"} 1.0",
        "legitscaler_grpc_request_duration_seconds_count{method=\"externalscaler.ExternalScaler/GetMetrics\"} 1");
  }

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, h.metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  static void waitUntil(java.util.function.BooleanSupplier cond) throws InterruptedException {
    for (int i = 0; i < 1000 && !cond.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(cond.getAsBoolean()).as("condition reached").isTrue();
  }
}
