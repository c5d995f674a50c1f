package dev.legitscaler.scaler;

import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.grpc.ScalerServer;
import dev.legitscaler.scaler.metrics.MetricsServer;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.tls.TlsFiles;
import dev.legitscaler.scaler.watch.Registry;
import io.grpc.Grpc;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server wired in one place: /metrics, the shared refresher pool, the Watch registry and the
 * gRPC server. Lifecycle: {@link #start}, {@link #awaitTermination}, {@link #stop(Duration)}.
 */
public final class ScalerApp {
  private static final Logger LOG = LoggerFactory.getLogger(ScalerApp.class);

  /**
   * @param grpcPort gRPC port (0 = any free port)
   * @param metricsPort /metrics port (0 = any free port)
   * @param refreshThreads size of the scheduled pool shared by every Watch's refresher
   * @param firstRefreshWait how long GetMetrics/IsActive wait for a new Watch's first refresh
   */
  public record Settings(int grpcPort, int metricsPort, ServerDefaults defaults, TlsFiles tls, int refreshThreads,
      Duration firstRefreshWait, ServerLimits limits) {
    public Settings(int grpcPort, int metricsPort, ServerDefaults defaults, TlsFiles tls, int refreshThreads,
        Duration firstRefreshWait) {
      this(grpcPort, metricsPort, defaults, tls, refreshThreads, firstRefreshWait, ServerLimits.defaults());
    }
  }

  private final MetricsServer metricsServer;
  private final ScheduledExecutorService scheduler;
  private final Registry registry;
  private final ScalerServer server;
  private final AutoCloseable signalsCloser;
  private final long startedNanos;

  private ScalerApp(MetricsServer metricsServer, ScheduledExecutorService scheduler, Registry registry,
      ScalerServer server, AutoCloseable signalsCloser, long startedNanos) {
    this.metricsServer = metricsServer;
    this.scheduler = scheduler;
    this.registry = registry;
    this.server = server;
    this.signalsCloser = signalsCloser;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts everything. {@code signalsCloser} releases the factory's shared clients on {@link #stop}.
   * Throws IOException when a port cannot be bound; IllegalArgumentException for unusable TLS files.
   */
  public static ScalerApp start(Settings s, SignalFactory signals, AutoCloseable signalsCloser, Clock clock)
      throws IOException {
    long t0 = System.nanoTime();
    var credentials = s.tls().credentials();
    PrometheusRegistry prom = new PrometheusRegistry();
    ScalerMetrics metrics = new ScalerMetrics(prom);
    MetricsServer metricsServer = MetricsServer.start(prom, "0.0.0.0", s.metricsPort());
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(s.refreshThreads(), named("refresher"));
    Registry registry = new Registry(s.defaults(), s.limits(), signals, scheduler, clock, metrics);
    registry.startExpiry();
    ExecutorService slowPath = Executors.newCachedThreadPool(named("grpc-slow-path"));
    ScalerServer server;
    try {
      server = new ScalerServer(Grpc.newServerBuilderForPort(s.grpcPort(), credentials), registry, metrics, clock,
          s.firstRefreshWait(), slowPath).start();
    } catch (IOException | RuntimeException e) {
      slowPath.shutdownNow();
      scheduler.shutdownNow();
      metricsServer.close();
      throw e;
    }
    LOG.info("event=serving grpc_port={} metrics_port={} transport={} refresh_interval={} stale_after={}"
            + " watch_idle_expiry={} refresh_threads={} startup_ms={}",
        server.port(), metricsServer.port(), s.tls().mode(), Durations.format(s.defaults().refreshInterval()),
        Durations.format(s.defaults().staleAfter()), Durations.format(s.defaults().watchIdleExpiry()),
        s.refreshThreads(), (System.nanoTime() - t0) / 1_000_000);
    return new ScalerApp(metricsServer, scheduler, registry, server, signalsCloser, t0);
  }

  public int grpcPort() {
    return server.port();
  }

  public int metricsPort() {
    return metricsServer.port();
  }

  public Registry registry() {
    return registry;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Graceful stop: health NOT_SERVING, no new calls, open streams ended, in-flight calls finish within
   * {@code grace}; then watches, sources, client pools, the pool and /metrics are closed.
   */
  public boolean stop(Duration grace) {
    long t0 = System.nanoTime();
    LOG.info("event=shutdown_started grace={}", Durations.format(grace));
    boolean clean;
    try {
      clean = server.shutdown(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    // The pool first: interrupting the refresh threads cancels their in-flight backend calls, so closing
    // the watches below does not wait for a hanging backend.
    scheduler.shutdownNow();
    registry.close();
    try {
      signalsCloser.close();
    } catch (Exception e) {
      LOG.warn("event=signals_close_failed error={}", e.toString());
    }
    metricsServer.close();
    LOG.info("event=shutdown_complete clean={} took_ms={} uptime_s={}", clean, (System.nanoTime() - t0) / 1_000_000,
        (System.nanoTime() - startedNanos) / 1_000_000_000);
    return clean;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
