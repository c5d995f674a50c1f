package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.Map;
import java.util.Optional;

/** The load family of trigger metadata (serverAddress, loadQuery, targetLoad, ...). */
public final class LoadConfig {
  /**
   * Empty when the load signal is off (no loadQuery in the metadata); otherwise the validated config
   * with {@code $namespace} / {@code $scaledObject} substituted. Throws ConfigException on bad values.
   */
  public static Optional<LoadConfig> parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Per-instance target load (default 0.7). */
  public double targetLoad() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Parsed settings for Explain, secrets redacted. */
  public Map<String, String> describe() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
