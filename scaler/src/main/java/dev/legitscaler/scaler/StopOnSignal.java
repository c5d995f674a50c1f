package dev.legitscaler.scaler;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM does to a running {@link ScalerApp}: a graceful stop of at most {@code grace} for
 * in-flight calls, and whatever the backends do, the process ends within {@link #LIMIT} with exit code
 * 0 (halt: a JVM ended by a signal would otherwise exit with 143). Shared by the server and the
 * benchmark's server, so the benchmark measures the stop the product does.
 */
public final class StopOnSignal {
  /** SIGTERM to exit, at most (the documented bound is 10 s; leaves room for the JVM to go). */
  public static final Duration LIMIT = Duration.ofMillis(9500);

  private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

  private StopOnSignal() {}

  /**
   * Installs the hook; {@code beforeStop} runs first (e.g. a report that must not be lost to a slow
   * stop). The returned latch opens once the stop is done.
   */
  public static CountDownLatch install(ScalerApp app, Duration grace, Runnable beforeStop) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(LIMIT.toMillis());
          LOG.warn("event=shutdown_forced after_ms={}", LIMIT.toMillis());
          Runtime.getRuntime().halt(0);
        } catch (InterruptedException done) {
          Thread.currentThread().interrupt();
        }
      }, "shutdown-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      try {
        beforeStop.run();
      } catch (RuntimeException e) {
        LOG.warn("event=before_stop_failed error={}", e.toString());
      }
      app.stop(grace);
      stopped.countDown();
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }, "shutdown"));
    return stopped;
  }
}
