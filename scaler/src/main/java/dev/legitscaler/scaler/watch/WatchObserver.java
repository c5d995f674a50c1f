package dev.legitscaler.scaler.watch;

import dev.legitscaler.scaler.source.ScalerConfig;
import java.time.Duration;
import java.util.Optional;

/** Receives what Watches do, e.g. to export it on /metrics. Called on refresher threads. */
public interface WatchObserver {
  /** A refresh produced a new snapshot. */
  default void onSnapshot(ScalerConfig config, Snapshot snapshot) {}

  /** One backend call finished; {@code errorCategory} is empty on success. */
  default void onFetch(String backend, Duration took, Optional<String> errorCategory) {}

  /** The Watch expired or the server closed it: forget its series. */
  default void onClosed(ScalerConfig config) {}

  /** A server-wide limit refused to watch a trigger of {@code namespace}. */
  default void onRefused(String namespace, String limit) {}

  /** A refresh was skipped: its namespace ran its maximum of concurrent refreshes for half the interval. */
  default void onRefreshSkipped(String namespace) {}

  /**
   * A backend call of {@code signal} (load, lag, legitimacy) was skipped: its backend served its maximum
   * of concurrent calls for half the interval.
   */
  default void onBackendCallSkipped(String signal) {}

  /** A new watch's metadata has keys no parser reads (typos). */
  default void onUnknownKeys(String namespace, int count) {}

  /** The number of live watches changed. */
  default void onWatchCount(int watches) {}

  WatchObserver NONE = new WatchObserver() {};
}
