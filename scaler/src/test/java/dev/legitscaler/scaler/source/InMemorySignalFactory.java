package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deterministic in-memory signals for tests, with fault injection. Recognises the metadata keys
 * {@code loadQuery} (+ {@code targetLoad}) and {@code topic} (+ {@code lagThreshold}); the readings
 * each ScaledObject's sources return are set by the test per {@code namespace/name}. A fault set with
 * {@link #fail} makes the next fetches throw; {@link #block} makes them wait on a latch.
 */
public final class InMemorySignalFactory implements SignalFactory {
  public final AtomicInteger opened = new AtomicInteger();
  public final AtomicInteger closed = new AtomicInteger();
  public final AtomicInteger fetches = new AtomicInteger();
  private final Map<String, Object> readings = new ConcurrentHashMap<>();
  private final Map<String, String> faults = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  public void setLoad(String ns, String name, double... perInstance) {
    List<LoadReading.InstanceLoad> l = new java.util.ArrayList<>();
    for (int i = 0; i < perInstance.length; i++) {
      l.add(new LoadReading.InstanceLoad("pod-" + i, perInstance[i]));
    }
    readings.put(key("load", ns, name), new LoadReading(l));
  }

  public void setLag(String ns, String name, long total, boolean active) {
    readings.put(key("lag", ns, name), new LagReading(total, total, 3, total > 0 ? 1 : 0, false, active, List.of()));
  }

  public void setLegitimacy(String ns, String name, LegitimacyReading r) {
    readings.put(key("legitimacy", ns, name), r);
  }

  /** Injects a fault: fetches of {@code signal} (load, lag, legitimacy) throw until {@link #heal}. */
  public void fail(String signal, String ns, String name, String category) {
    faults.put(key(signal, ns, name), category);
  }

  public void heal(String signal, String ns, String name) {
    faults.remove(key(signal, ns, name));
  }

  /** Makes every fetch wait until the returned latch is counted down. */
  public CountDownLatch block() {
    CountDownLatch l = new CountDownLatch(1);
    gate = l;
    return l;
  }

  private static String key(String signal, String ns, String name) {
    return signal + ":" + ns + "/" + name;
  }

  @Override
  public Optional<SignalFamilies.Load> load(Metadata md, String ns, String name) {
    if (!md.has("loadQuery")) {
      return Optional.empty();
    }
    double target = md.doubleValue("targetLoad", 0.7, 0, true, 100);
    return Optional.of(new SignalFamilies.Load(target, Map.of("loadQuery", md.string("loadQuery").get()),
        () -> new FaultInjectingInMemorySource<LoadReading>("load", ns, name)));
  }

  @Override
  public Optional<SignalFamilies.Lag> lag(Metadata md, String ns, String name) {
    if (!md.has("topic")) {
      return Optional.empty();
    }
    long threshold = md.longValue("lagThreshold", 10, 1, Long.MAX_VALUE);
    return Optional.of(new SignalFamilies.Lag(threshold, Map.of("topic", md.string("topic").get()),
        () -> new FaultInjectingInMemorySource<LagReading>("lag", ns, name)));
  }

  @Override
  public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String ns, String name) {
    return new SignalFamilies.Legitimacy(kind, Map.of("kind", kind.keyword()),
        () -> new FaultInjectingInMemorySource<LegitimacyReading>("legitimacy", ns, name));
  }

  /** Returns the test's current reading, or throws the injected fault. */
  final class FaultInjectingInMemorySource<R> implements SignalSource<R> {
    private final String key;

    FaultInjectingInMemorySource(String signal, String ns, String name) {
      this.key = key(signal, ns, name);
      opened.incrementAndGet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public R fetch() throws SignalException {
      fetches.incrementAndGet();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new SignalException("timeout", "test gate not released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SignalException("interrupted", "interrupted");
      }
      String fault = faults.get(key);
      if (fault != null) {
        throw new SignalException(fault, "injected fault: " + fault);
      }
      Object r = readings.get(key);
      if (r == null) {
        throw new SignalException("no_data", "no reading set for " + key);
      }
      return (R) r;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }
}
