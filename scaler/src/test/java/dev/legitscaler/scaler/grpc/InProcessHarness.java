package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.diagnostics.v1.DiagnosticsGrpc;
import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.MutableClock;
import dev.legitscaler.scaler.watch.Registry;
import dev.legitscaler.scaler.watch.Watch;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The real server (registry, watches, decision, handlers, interceptor) over an in-process transport,
 * with in-memory signals and a hand-moved clock. Refreshes are driven by the test via
 * {@link #refresh}: metadata built by {@link #md} sets a 10 minute refreshInterval.
 */
final class InProcessHarness implements AutoCloseable {
  final InMemorySignalFactory signals = new InMemorySignalFactory();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  final ScalerMetrics metrics = new ScalerMetrics(new PrometheusRegistry());
  final Registry registry;
  final ScalerServer server;
  final ManagedChannel channel;
  final ExternalScalerGrpc.ExternalScalerBlockingStub blocking;
  final ExternalScalerGrpc.ExternalScalerStub async;
  final DiagnosticsGrpc.DiagnosticsBlockingStub diagnostics;

  InProcessHarness(Duration firstRefreshWait) throws Exception {
    this(firstRefreshWait, ServerLimits.defaults());
  }

  InProcessHarness(Duration firstRefreshWait, ServerLimits limits) throws Exception {
    String name = InProcessServerBuilder.generateName();
    registry = new Registry(ServerDefaults.none(), limits, signals, scheduler, clock, metrics);
    server = new ScalerServer(InProcessServerBuilder.forName(name), registry, metrics, clock, firstRefreshWait,
        Executors.newCachedThreadPool()).start();
    channel = InProcessChannelBuilder.forName(name).build();
    blocking = ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = ExternalScalerGrpc.newStub(channel);
    diagnostics = DiagnosticsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  InProcessHarness() throws Exception {
    this(Duration.ofSeconds(2));
  }

  static Map<String, String> md(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("scalerAddress", "legit-scaler.keda:9090");
    m.put("refreshInterval", "10m");
    m.put("staleAfter", "20m");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static ScaledObjectRef ref(String ns, String name, Map<String, String> md) {
    return ScaledObjectRef.newBuilder().setNamespace(ns).setName(name).putAllScalerMetadata(md).build();
  }

  /** The trigger's Watch (created if needed), refreshed once more, synchronously. */
  Watch refresh(ScaledObjectRef ref) {
    Watch w = registry.watch(ref.getNamespace(), ref.getName(), ref.getScalerMetadataMap());
    w.firstSnapshot().exceptionally(e -> null).join();
    w.refreshNow();
    return w;
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(Duration.ofSeconds(5));
    registry.close();
    scheduler.shutdownNow();
  }
}
