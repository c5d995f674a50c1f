package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a scenario runs: the local platform this process starts, or an environment that already runs
 * (a cluster). Either gives the run loop the same things: the addresses traffic goes to and signals
 * come from, the target's replicas, the alerts' notifications; the loop and the {@link Sampler} do
 * not know which one they talk to.
 */
sealed interface Environment extends AutoCloseable permits LocalPlatform, ExistingEnvironment {

  /**
   * @param kafka bootstrap servers the traffic is produced to
   * @param prometheus base URL every signal can be read from
   * @param scalerMetrics the scaler's own /metrics URL when it is reachable directly (fresher than
   *     Prometheus' last scrape); empty: the scaler's series are read from Prometheus
   */
  record Addresses(String kafka, String prometheus, Optional<String> scalerMetrics) {}

  /** "local" or "existing", as summary.json's mode. */
  String mode();

  Addresses addresses();

  /** The ScaledObject as the environment runs it (the local platform's addresses in it). */
  ScaledObject scaledObject();

  /** Everything started for this run; closed with the environment. */
  ProcessGroup processes();

  /** Starts what scales the target, on the scenario clock (a cluster's own HPA needs nothing). */
  void startScaling(ScenarioClock clock, PrintStream say);

  /** The target's spec replicas when the environment holds them itself; empty: read from Prometheus. */
  OptionalInt specReplicas();

  /** Whether alerts are evaluated (rules loaded): when not, the rows carry no alert columns. */
  boolean alerting();

  /** Notifications the environment's own sinks received so far (none when it has no sinks). */
  Optional<Integer> notificationCount();

  /** What the sinks received, on the scenario's time line. */
  List<Notification> notifications(ScenarioClock clock);

  /** Environment-specific entries of summary.json's params. */
  Map<String, Object> params();

  @Override
  void close();
}
