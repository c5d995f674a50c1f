package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.legitimacy.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.signal.kafka.LagReading;
import dev.legitscaler.scaler.signal.prometheus.LoadReading;
import java.util.Map;
import java.util.function.Supplier;

/** Parsed signal families: what the decision needs from each, and how to open its source. */
public final class SignalFamilies {
  private SignalFamilies() {}

  /**
   * @param targetLoad per-instance target load
   * @param settings parsed keys for Explain, secrets redacted
   * @param opener creates the source; called on the refresher thread, never on an RPC thread
   */
  public record Load(double targetLoad, Map<String, String> settings, Supplier<SignalSource<LoadReading>> opener) {
    public Load {
      settings = Map.copyOf(settings);
    }
  }

  public record Lag(long lagThreshold, Map<String, String> settings, Supplier<SignalSource<LagReading>> opener) {
    public Lag {
      settings = Map.copyOf(settings);
    }
  }

  /**
   * @param estimatedBytes heap the source's state is expected to take (the scorer's preallocated
   *     sketches), checked against the server's memory budget before the Watch is created
   */
  public record Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
      Supplier<SignalSource<LegitimacyReading>> opener, long estimatedBytes) {
    public Legitimacy {
      settings = Map.copyOf(settings);
    }

    /** A source without notable state of its own. */
    public Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
        Supplier<SignalSource<LegitimacyReading>> opener) {
      this(kind, settings, opener, 0);
    }
  }
}
