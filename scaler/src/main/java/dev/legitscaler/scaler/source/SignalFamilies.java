package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficScorerConfig;
import dev.legitscaler.scaler.legitimacy.prometheus.LegitimacyQueryConfig;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig;
import dev.legitscaler.scaler.signal.prometheus.LoadConfig;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Parsed signal families: what the decision needs from each, how to open its source, which backend
 * that source calls ({@code backend}: the key of the per-backend concurrency limit; absent for sources
 * that share no backend, such as in-memory ones, which are not limited), and the family's typed
 * configuration when it was parsed from the metadata by the family's own config class ({@code config}:
 * what an offline replay needs, so nothing parses the metadata twice; empty for in-memory sources).
 */
public final class SignalFamilies {
  private SignalFamilies() {}

  /**
   * @param targetLoad per-instance target load
   * @param settings parsed keys for Explain, secrets redacted
   * @param opener creates the source; called on the refresher thread, never on an RPC thread
   */
  public record Load(double targetLoad, Map<String, String> settings, Supplier<SignalSource<LoadReading>> opener,
      Optional<String> backend, Optional<LoadConfig> config) {
    public Load {
      settings = Map.copyOf(settings);
    }

    /** A source that shares no backend and has no typed configuration (in-memory sources). */
    public Load(double targetLoad, Map<String, String> settings, Supplier<SignalSource<LoadReading>> opener) {
      this(targetLoad, settings, opener, Optional.empty(), Optional.empty());
    }

    /** The family of a parsed Prometheus load query: target and settings come from {@code config}. */
    public static Load of(LoadConfig config, Supplier<SignalSource<LoadReading>> opener, Optional<String> backend) {
      return new Load(config.targetLoad(), config.describe(), opener, backend, Optional.of(config));
    }
  }

  public record Lag(long lagThreshold, Map<String, String> settings, Supplier<SignalSource<LagReading>> opener,
      Optional<String> backend, Optional<KafkaLagConfig> config) {
    public Lag {
      settings = Map.copyOf(settings);
    }

    /** A source that shares no backend and has no typed configuration (in-memory sources). */
    public Lag(long lagThreshold, Map<String, String> settings, Supplier<SignalSource<LagReading>> opener) {
      this(lagThreshold, settings, opener, Optional.empty(), Optional.empty());
    }

    /** The family of a parsed Kafka lag trigger: threshold and settings come from {@code config}. */
    public static Lag of(KafkaLagConfig config, Supplier<SignalSource<LagReading>> opener, Optional<String> backend) {
      return new Lag(config.lagThreshold(), config.describe(), opener, backend, Optional.of(config));
    }
  }

  /** The typed configuration of a legitimacy family: one per {@link LegitimacySourceKind} with a source. */
  public sealed interface LegitimacyConfig {
    /** {@code legitimacySource: kafka}: the scorer's settings. */
    record Scored(TrafficScorerConfig config) implements LegitimacyConfig {}

    /** {@code legitimacySource: prometheus}: the score query. */
    record Queried(LegitimacyQueryConfig config) implements LegitimacyConfig {}
  }

  /**
   * @param estimatedBytes heap the source's state is expected to take (the scorer's preallocated
   *     sketches), checked against the server's memory budget before the Watch is created
   */
  public record Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
      Supplier<SignalSource<LegitimacyReading>> opener, long estimatedBytes, Optional<String> backend,
      Optional<LegitimacyConfig> config) {
    public Legitimacy {
      settings = Map.copyOf(settings);
    }

    /** A source without notable state of its own, sharing no backend, without typed configuration. */
    public Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
        Supplier<SignalSource<LegitimacyReading>> opener) {
      this(kind, settings, opener, 0, Optional.empty(), Optional.empty());
    }

    /** A source with state of its own ({@code estimatedBytes}), sharing no backend, without typed configuration. */
    public Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
        Supplier<SignalSource<LegitimacyReading>> opener, long estimatedBytes) {
      this(kind, settings, opener, estimatedBytes, Optional.empty(), Optional.empty());
    }

    /** The family of the Kafka traffic scorer; {@code estimatedBytes} is its sketches' footprint. */
    public static Legitimacy of(TrafficScorerConfig config, Supplier<SignalSource<LegitimacyReading>> opener,
        long estimatedBytes, Optional<String> backend) {
      return new Legitimacy(LegitimacySourceKind.KAFKA, config.describe(), opener, estimatedBytes, backend,
          Optional.of(new LegitimacyConfig.Scored(config)));
    }

    /** The family of a Prometheus legitimacy query. */
    public static Legitimacy of(LegitimacyQueryConfig config, Supplier<SignalSource<LegitimacyReading>> opener,
        Optional<String> backend) {
      return new Legitimacy(LegitimacySourceKind.PROMETHEUS, config.describe(), opener, 0, backend,
          Optional.of(new LegitimacyConfig.Queried(config)));
    }

    /** The Kafka scorer's settings, when this family is the scorer with a typed configuration. */
    public Optional<TrafficScorerConfig> scorerConfig() {
      return config.filter(LegitimacyConfig.Scored.class::isInstance)
          .map(c -> ((LegitimacyConfig.Scored) c).config());
    }
  }
}
