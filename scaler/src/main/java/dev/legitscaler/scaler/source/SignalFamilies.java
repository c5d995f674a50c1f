package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Parsed signal families: what the decision needs from each, how to open its source, and which backend
 * that source calls ({@code backend}: the key of the per-backend concurrency limit; empty for sources
 * that share no backend, such as in-memory ones, which are not limited).
 */
public final class SignalFamilies {
  private SignalFamilies() {}

  /**
   * @param targetLoad per-instance target load
   * @param settings parsed keys for Explain, secrets redacted
   * @param opener creates the source; called on the refresher thread, never on an RPC thread
   */
  public record Load(double targetLoad, Map<String, String> settings, Supplier<SignalSource<LoadReading>> opener,
      String backend) {
    public Load {
      settings = Map.copyOf(settings);
    }

    public Load(double targetLoad, Map<String, String> settings, Supplier<SignalSource<LoadReading>> opener) {
      this(targetLoad, settings, opener, "");
    }
  }

  public record Lag(long lagThreshold, Map<String, String> settings, Supplier<SignalSource<LagReading>> opener,
      String backend) {
    public Lag {
      settings = Map.copyOf(settings);
    }

    public Lag(long lagThreshold, Map<String, String> settings, Supplier<SignalSource<LagReading>> opener) {
      this(lagThreshold, settings, opener, "");
    }
  }

  /**
   * @param estimatedBytes heap the source's state is expected to take (the scorer's preallocated
   *     sketches), checked against the server's memory budget before the Watch is created
   */
  public record Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
      Supplier<SignalSource<LegitimacyReading>> opener, long estimatedBytes, String backend) {
    public Legitimacy {
      settings = Map.copyOf(settings);
    }

    public Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
        Supplier<SignalSource<LegitimacyReading>> opener, long estimatedBytes) {
      this(kind, settings, opener, estimatedBytes, "");
    }

    /** A source without notable state of its own. */
    public Legitimacy(LegitimacySourceKind kind, Map<String, String> settings,
        Supplier<SignalSource<LegitimacyReading>> opener) {
      this(kind, settings, opener, 0, "");
    }
  }
}
