package dev.legitscaler.loadtest.evaluate;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficScorerConfig;
import dev.legitscaler.scaler.legitimacy.prometheus.LegitimacyQueryConfig;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig;
import dev.legitscaler.scaler.signal.prometheus.LoadConfig;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.source.SignalFamilies;
import java.util.Optional;

/**
 * Parses the trigger's signal families with the scaler's own config classes (so the evaluation sees
 * the same targetLoad, lagThreshold and validation errors as the server), but never opens a backend:
 * offline, the signals come from the simulation. The families carry their typed configs, which the
 * evaluator reads instead of parsing the metadata again.
 */
final class OfflineSignals implements SignalFactory {
  private final ServerDefaults defaults;

  OfflineSignals(ServerDefaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public Optional<SignalFamilies.Load> load(Metadata md, String namespace, String scaledObject) {
    return LoadConfig.parse(md, defaults, namespace, scaledObject)
        .map(c -> SignalFamilies.Load.of(c, OfflineSignals::noBackend, Optional.empty()));
  }

  @Override
  public Optional<SignalFamilies.Lag> lag(Metadata md, String namespace, String scaledObject) {
    return KafkaLagConfig.parse(md, defaults)
        .map(c -> SignalFamilies.Lag.of(c, OfflineSignals::noBackend, Optional.empty()));
  }

  @Override
  public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String namespace,
      String scaledObject) {
    return switch (kind) {
      case KAFKA -> SignalFamilies.Legitimacy.of(TrafficScorerConfig.parse(md, defaults, namespace, scaledObject),
          OfflineSignals::noBackend, 0, Optional.empty());
      case PROMETHEUS -> SignalFamilies.Legitimacy.of(
          LegitimacyQueryConfig.parse(md, defaults, namespace, scaledObject), OfflineSignals::noBackend, Optional.empty());
      case NONE -> throw new IllegalArgumentException("legitimacySource none has no source");
    };
  }

  private static <T> T noBackend() {
    throw new IllegalStateException("the offline evaluation never opens a signal backend");
  }
}
