package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.MutableClock;
import dev.legitscaler.scaler.watch.Registry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which calls leave the transport thread: a trigger seen before is answered where the call arrives,
 * anything that must be validated, parsed or created goes through the slow-path executor.
 */
class CallPathsTest {
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final AtomicInteger slowCalls = new AtomicInteger();
  private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
  private volatile boolean refuse;
  private Registry registry;
  private Server server;
  private ManagedChannel channel;
  private ExternalScalerGrpc.ExternalScalerBlockingStub blocking;

  @BeforeEach
  void start() throws Exception {
    ScalerMetrics metrics = new ScalerMetrics(new PrometheusRegistry());
    registry = new Registry(ServerDefaults.none(), ServerLimits.defaults(), new InMemorySignalFactory(), scheduler,
        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), metrics);
    Executor slowPath = r -> {
      if (refuse) {
        throw new java.util.concurrent.RejectedExecutionException("refused by the test");
      }
      slowCalls.incrementAndGet();
      pool.execute(() -> {
        handlerThreads.add(Thread.currentThread().getName());
        r.run();
      });
    };
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new ExternalScalerService(registry, new MutableClock(Instant.parse("2026-01-01T00:00:00Z")),
            Duration.ofSeconds(2), slowPath))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    blocking = ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    registry.close();
    scheduler.shutdownNow();
    pool.shutdownNow();
  }

  private static ScaledObjectRef ref(String namespace, String name) {
    return InProcessHarness.ref(namespace, name, InProcessHarness.md("loadQuery", "up"));
  }

  @Test
  void aTriggerSeenBeforeIsAnsweredWithoutTheSlowPath() {
    ScaledObjectRef ref = ref("ml", "model");
    for (int i = 0; i < 3; i++) {
      assertThat(blocking.getMetricSpec(ref).getMetricSpecsCount()).isEqualTo(1);
    }
    assertThat(slowCalls).hasValue(1);
    assertThat(registry.all()).hasSize(1);
    // an equal ref built anew (as every parsed request is) takes the fast path too
    assertThat(blocking.getMetricSpec(ref("ml", "model")).getMetricSpecsCount()).isEqualTo(1);
    assertThat(slowCalls).hasValue(1);
  }

  @Test
  void invalidRefsGoThroughTheSlowPathEveryTimeAndAreNotKept() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> blocking.getMetricSpec(ref("ML", "model")))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    assertThat(slowCalls).hasValue(2);
    assertThat(handlerThreads).isNotEmpty();
    assertThat(registry.all()).isEmpty();
  }

  @Test
  void whenTheSlowPathRefusesWorkNewTriggersAreUnavailableAndKnownOnesStillAnswered() {
    ScaledObjectRef known = ref("ml", "model");
    blocking.getMetricSpec(known);
    refuse = true;
    assertThat(blocking.getMetricSpec(known).getMetricSpecsCount()).isEqualTo(1);
    assertThatThrownBy(() -> blocking.getMetricSpec(ref("ml", "other")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
