package dev.legitscaler.scaler.bench;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.source.SignalFamilies;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark-only signals: every {@code loadQuery} trigger reads five instances at 0.7 without I/O, so
 * a benchmark measures the server (handlers, registry, transport) and not a backend.
 */
final class SyntheticSignalFactory implements SignalFactory {
  private static final LoadReading READING = new LoadReading(List.of(
      new LoadReading.InstanceLoad("pod-0", 0.7), new LoadReading.InstanceLoad("pod-1", 0.7),
      new LoadReading.InstanceLoad("pod-2", 0.7), new LoadReading.InstanceLoad("pod-3", 0.7),
      new LoadReading.InstanceLoad("pod-4", 0.7)));

  @Override
  public Optional<SignalFamilies.Load> load(Metadata md, String namespace, String scaledObject) {
    if (!md.has("loadQuery")) {
      return Optional.empty();
    }
    return Optional.of(new SignalFamilies.Load(0.7, Map.of("loadQuery", "synthetic"), () -> new SignalSource<>() {
      @Override
      public LoadReading fetch() {
        return READING;
      }

      @Override
      public void close() {}
    }));
  }

  @Override
  public Optional<SignalFamilies.Lag> lag(Metadata md, String namespace, String scaledObject) {
    return Optional.empty();
  }

  @Override
  public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String ns, String name) {
    throw new dev.legitscaler.scaler.config.ConfigException("legitimacySource", kind.keyword(),
        "none (the benchmark server has synthetic load only)");
  }
}
