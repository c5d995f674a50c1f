package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.config.Metadata;
import java.util.Optional;

/**
 * The one seam between the server and the signal backends: parses a signal family's metadata keys
 * (without I/O) and hands back an opener for its source. The server's default is
 * {@link BackendSignalFactory}; tests inject in-memory and fault-injecting sources here.
 *
 * <p>Every method throws {@link dev.legitscaler.scaler.config.ConfigException} for bad keys.
 */
public interface SignalFactory {

  /** Empty when the load family is not configured. */
  Optional<SignalFamilies.Load> load(Metadata md, String namespace, String scaledObject);

  /** Empty when the Kafka lag family is not configured. */
  Optional<SignalFamilies.Lag> lag(Metadata md, String namespace, String scaledObject);

  /** The legitimacy family for {@code legitimacySource: kind} (never {@code NONE}). */
  SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String namespace, String scaledObject);
}
