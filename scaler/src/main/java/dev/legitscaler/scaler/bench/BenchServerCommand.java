package dev.legitscaler.scaler.bench;

import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.StopOnSignal;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The server side of {@code bench}: the real server, with synthetic I/O-free signals or the production
 * Prometheus sources (each trigger names its loopback Prometheus in {@code serverAddress}), until SIGTERM.
 */
@Command(name = "bench-server", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark target: the real server with synthetic or real Prometheus signals (used by 'bench').")
public final class BenchServerCommand implements Callable<Integer> {
  /** Where the load signals come from. */
  enum Signals { synthetic, prometheus }

  @Option(names = "--grpc-port", defaultValue = "0", description = "gRPC port")
  int grpcPort;

  @Option(names = "--metrics-port", defaultValue = "0", description = "metrics port")
  int metricsPort;

  @Option(names = "--signals", defaultValue = "synthetic", description = "synthetic or prometheus")
  Signals signals;

  @Option(names = "--refresh-interval-ms", defaultValue = "5000", description = "server default refreshInterval")
  long refreshIntervalMs;

  @Option(names = "--refresh-threads", defaultValue = "4", description = "the server's --refresh-threads")
  int refreshThreads;

  @Option(names = "--refresh-report", description = "on SIGTERM, write the refresh-deadline line to this file")
  Path refreshReport;

  @Mixin
  RefreshPermitOptions permits;

  @Override
  public Integer call() throws Exception {
    Duration refresh = Duration.ofMillis(refreshIntervalMs);
    // staleAfter as the server's default (12 refresh intervals), so a slow refresh shows as a missed
    // deadline here before it would make GetMetrics fail.
    ServerDefaults d = new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
        Map.of(), refresh, refresh.multipliedBy(12), Duration.ofMinutes(10));
    AutoCloseable closer = () -> { };
    SignalFactory base = new SyntheticSignalFactory();
    if (signals == Signals.prometheus) {
      BackendSignalFactory backends = new BackendSignalFactory(d, Clock.systemUTC());
      base = backends;
      closer = backends;
    }
    RefreshDeadlines deadlines = new RefreshDeadlines(base, refresh, Duration.ofSeconds(1), System::nanoTime);
    ServerLimits limits = permits.applyTo(ServerLimits.defaults());
    ScalerApp app = ScalerApp.start(new ScalerApp.Settings(grpcPort, metricsPort, d, TlsFiles.plaintext(), refreshThreads,
        Duration.ofSeconds(2), limits), deadlines, closer, Clock.systemUTC());
    // The report is written before stopping: closing the watches must not count as missed refreshes, and
    // a slow stop must not lose it.
    CountDownLatch stopped = StopOnSignal.install(app, Duration.ofSeconds(8), () -> {
      if (refreshReport != null) {
        try {
          Files.writeString(refreshReport, deadlines.report() + "\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    app.awaitTermination();
    stopped.await();
    return 0;
  }
}
