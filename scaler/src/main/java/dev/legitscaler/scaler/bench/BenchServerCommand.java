package dev.legitscaler.scaler.bench;

import dev.legitscaler.scaler.ScalerApp;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.tls.TlsFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The server side of {@code bench}: the real server with synthetic signals, until SIGTERM. */
@Command(name = "bench-server", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmark target: the real server with synthetic, I/O-free signals (used by 'bench').")
public final class BenchServerCommand implements Callable<Integer> {
  @Option(names = "--grpc-port", defaultValue = "0", description = "gRPC port")
  int grpcPort;

  @Option(names = "--metrics-port", defaultValue = "0", description = "metrics port")
  int metricsPort;

  @Override
  public Integer call() throws Exception {
    ServerDefaults d = new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
        Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
    ScalerApp app = ScalerApp.start(new ScalerApp.Settings(grpcPort, metricsPort, d, TlsFiles.plaintext(), 4,
        Duration.ofSeconds(2)), new SyntheticSignalFactory(), () -> { }, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.stop(Duration.ofSeconds(8));
      stopped.countDown();
    }, "shutdown"));
    app.awaitTermination();
    stopped.await();
    return 0;
  }
}
