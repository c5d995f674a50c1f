package dev.legitscaler.scaler.bench;

import dev.legitscaler.scaler.config.ServerLimits;
import java.util.List;
import picocli.CommandLine.Option;

/** The server's two refresh-permit flags, taken by {@code bench} and handed on to {@code bench-server}. */
final class RefreshPermitOptions {
  @Option(names = "--max-concurrent-refreshes-per-namespace", defaultValue = "0",
      description = "the server's flag of the same name (default: the server's default)")
  int perNamespace;

  @Option(names = "--max-concurrent-refreshes-per-backend", defaultValue = "0",
      description = "the server's flag of the same name (default: the server's default)")
  int perBackend;

  /** {@code limits} with the flags that were given (0 keeps the server's default). */
  ServerLimits applyTo(ServerLimits limits) {
    ServerLimits l = limits;
    if (perNamespace > 0) {
      l = l.withConcurrentRefreshesPerNamespace(perNamespace);
    }
    if (perBackend > 0) {
      l = l.withConcurrentRefreshesPerBackend(perBackend);
    }
    return l;
  }

  /** The same flags for the child process's command line. */
  List<String> arguments() {
    return List.of("--max-concurrent-refreshes-per-namespace", Integer.toString(perNamespace),
        "--max-concurrent-refreshes-per-backend", Integer.toString(perBackend));
  }
}
