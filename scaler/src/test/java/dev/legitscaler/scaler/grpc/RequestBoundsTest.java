package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.ServerLimits;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One tenant's requests cannot fill the server: sizes are checked first, rejected requests are not kept. */
class RequestBoundsTest {
  @Test
  void rejectedRequestsAreNeverCachedEvenWhenLarge() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      String big = "x".repeat(10_000); // within the value limit, but the trigger is invalid
      for (int i = 0; i < 200; i++) {
        ScaledObjectRef ref = InProcessHarness.ref("ml", "so-" + i,
            InProcessHarness.md("loadQuery", "q", "targetLoad", "not-a-number", "pad", big + i));
        assertThatThrownBy(() -> h.blocking.getMetricSpec(ref))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
      }
      assertThat(h.server.externalScaler().cachedKeys()).as("no rejected request is cached").isZero();
      assertThat(h.registry.size()).isZero();

      ScaledObjectRef ok = InProcessHarness.ref("ml", "good", InProcessHarness.md("loadQuery", "q"));
      h.signals.setLoad("ml", "good", 0.5);
      h.blocking.getMetricSpec(ok);
      assertThat(h.server.externalScaler().cachedKeys()).as("an accepted small ref is cached").isEqualTo(1);
    }
  }

  @Test
  void oversizedValueIsInvalidArgumentNamingTheKeyWithoutEchoingIt() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      ScaledObjectRef ref = InProcessHarness.ref("ml", "so",
          InProcessHarness.md("loadQuery", "sum(up)" + " ".repeat(3_500_000)));
      assertThatThrownBy(() -> h.blocking.getMetricSpec(ref))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("'loadQuery'", "at most 16384 characters")
                .hasSizeLessThan(400);
          });
      assertThat(h.server.externalScaler().cachedKeys()).isZero();
    }
  }

  @Test
  void tooManyKeysAndTooMuchInTotalAreRefused() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      ScaledObjectRef.Builder many = InProcessHarness.ref("ml", "so", InProcessHarness.md("loadQuery", "q")).toBuilder();
      for (int i = 0; i < 100; i++) {
        many.putScalerMetadata("k" + i, "v");
      }
      assertThatThrownBy(() -> h.blocking.getMetricSpec(many.build()))
          .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("at most 64 keys");
      ScaledObjectRef.Builder total = InProcessHarness.ref("ml", "so", InProcessHarness.md("loadQuery", "q"))
          .toBuilder();
      for (int i = 0; i < 5; i++) {
        total.putScalerMetadata("pad" + i, "p".repeat(15_000));
      }
      assertThatThrownBy(() -> h.blocking.getMetricSpec(total.build()))
          .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("characters together");
      String longName = "n".repeat(300);
      assertThatThrownBy(() -> h.blocking.getMetricSpec(InProcessHarness.ref("ml", longName,
          InProcessHarness.md("loadQuery", "q")))).hasMessageContaining("INVALID_ARGUMENT")
          .hasMessageContaining("at most 253");
    }
  }

  @Test
  void watchLimitsRefuseWithResourceExhaustedAndExplainSaysWhy() throws Exception {
    try (InProcessHarness h = new InProcessHarness(Duration.ofSeconds(2),
        ServerLimits.defaults().withWatches(3, 2))) {
      h.blocking.getMetricSpec(InProcessHarness.ref("a", "one", InProcessHarness.md("loadQuery", "q")));
      h.blocking.getMetricSpec(InProcessHarness.ref("a", "two", InProcessHarness.md("loadQuery", "q")));
      assertThatThrownBy(() -> h.blocking.getMetricSpec(InProcessHarness.ref("a", "three",
          InProcessHarness.md("loadQuery", "q"))))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("namespace a", "--max-watches-per-namespace 2");
          });
      h.blocking.getMetricSpec(InProcessHarness.ref("b", "one", InProcessHarness.md("loadQuery", "q")));
      assertThatThrownBy(() -> h.blocking.getMetricSpec(InProcessHarness.ref("c", "one",
          InProcessHarness.md("loadQuery", "q"))))
          .hasMessageContaining("RESOURCE_EXHAUSTED").hasMessageContaining("--max-watches 3");
      assertThatThrownBy(() -> h.diagnostics.explain(ScaledObjectRef.newBuilder().setNamespace("a").setName("three")
          .build())).hasMessageContaining("NOT_FOUND").hasMessageContaining("refused by a server limit")
          .hasMessageContaining("--max-watches-per-namespace");
      String metrics = MetricsText.of(h.metrics);
      assertThat(metrics).contains("legitscaler_watches_refused_total{limit=\"watches_per_namespace\"} 1.0")
          .contains("legitscaler_watches_refused_total{limit=\"watches\"} 1.0");
      assertThat(Map.of()).isEmpty();
    }
  }
}
