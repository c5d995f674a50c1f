package dev.legitscaler.scaler.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.metrics.ScalerMetrics;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import dev.legitscaler.scaler.source.MutableClock;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.source.SignalFamilies;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server-wide limits of the registry: identity, memory budget, unknown keys, per-namespace bulkhead. */
class RegistryLimitsTest {
  private final InMemorySignalFactory signals = new InMemorySignalFactory();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final ScalerMetrics metrics = new ScalerMetrics(new PrometheusRegistry());
  private Registry registry;

  private Registry registry(ServerLimits limits, SignalFactory factory) {
    registry = new Registry(ServerDefaults.none(), limits, factory, scheduler, clock, metrics);
    return registry;
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
    scheduler.shutdownNow();
  }

  private static Map<String, String> md(String... kv) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("refreshInterval", "10m", "staleAfter", "20m"));
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void twoMetadataMapsWithTheSameShortHashAreTwoWatches() {
    Registry r = registry(ServerLimits.defaults(), signals);
    Map<String, String> a = md("loadQuery", "sum(a)");
    Map<String, String> b = md("loadQuery", "sum(b)");
    // A collision of the 40-bit hash, forged: the identity must still tell the maps apart.
    WatchKey ka = new WatchKey("ml", "model", a, "0123456789");
    WatchKey kb = new WatchKey("ml", "model", b, "0123456789");
    assertThat(ka).isNotEqualTo(kb);
    Watch wa = r.watch(ka, "ml", "model", a);
    Watch wb = r.watch(kb, "ml", "model", b);
    assertThat(wb).isNotSameAs(wa);
    assertThat(wa.config().load().orElseThrow().settings()).containsEntry("loadQuery", "sum(a)");
    assertThat(wb.config().load().orElseThrow().settings()).containsEntry("loadQuery", "sum(b)");
    assertThat(r.size()).isEqualTo(2);
  }

  /** The in-memory factory with a declared scorer footprint, as the Kafka scorer would declare it. */
  private SignalFactory withFootprint(long bytes) {
    return new SignalFactory() {
      @Override
      public Optional<SignalFamilies.Load> load(Metadata md, String ns, String so) {
        return signals.load(md, ns, so);
      }

      @Override
      public Optional<SignalFamilies.Lag> lag(Metadata md, String ns, String so) {
        return signals.lag(md, ns, so);
      }

      @Override
      public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String ns, String so) {
        SignalFamilies.Legitimacy l = signals.legitimacy(kind, md, ns, so);
        return new SignalFamilies.Legitimacy(kind, l.settings(), l.opener(), bytes);
      }
    };
  }

  @Test
  void memoryBudgetRefusesTheTriggerThatWouldExceedItAndFreesOnExpiry() throws Exception {
    long mib = ServerLimits.MIB;
    Registry r = registry(ServerLimits.defaults().withMemory(40 * mib, 20 * mib), withFootprint(16 * mib));
    signals.setLegitimacy("a", "one", LegitimacyReading.allLegitimate());
    r.watch("a", "one", md("loadQuery", "q", "legitimacySource", "kafka"));
    r.watch("b", "two", md("loadQuery", "q", "legitimacySource", "kafka"));
    assertThatThrownBy(() -> r.watch("c", "three", md("loadQuery", "q", "legitimacySource", "kafka")))
        .isInstanceOfSatisfying(WatchRefusedException.class, e -> {
          assertThat(e.limit()).isEqualTo("memory_budget");
          assertThat(e.getMessage()).contains("needs 16 MiB", "8 MiB of the server's budget are left",
              "--trigger-memory-budget 40 MiB");
        });
    assertThat(r.refusal("c", "three")).isPresent();
    assertThat(r.size()).isEqualTo(2);
    // a trigger without a scorer still fits
    r.watch("c", "plain", md("loadQuery", "q"));
    assertThat(scrape()).contains("legitscaler_watches_refused_total{limit=\"memory_budget\"} 1.0");

    clock.advance(Duration.ofMinutes(11));
    assertThat(r.expireIdle()).isEqualTo(3);
    r.watch("c", "three", md("loadQuery", "q", "legitimacySource", "kafka"));
    assertThat(r.refusal("c", "three")).isEmpty();
  }

  @Test
  void unknownKeysAreReportedWithTheClosestKeyAndStrictModeRejectsThem() throws Exception {
    Registry r = registry(ServerLimits.defaults(), signals);
    Watch w = r.watch("ml", "model", md("loadQuery", "q", "targetLaod", "0.5", "scalerAddress", "x:9090"));
    assertThat(w.config().unknownKeys()).containsExactly(Map.entry("targetLaod", "targetLoad"));
    assertThat(w.config().describe()).containsEntry("unknownKey.targetLaod",
        "unknown key 'targetLaod' is ignored; did you mean 'targetLoad'?");
    assertThat(scrape()).contains("legitscaler_unknown_metadata_keys_total 1.0");
    r.close();

    Registry strict = registry(ServerLimits.defaults().withStrictMetadata(true), signals);
    assertThatThrownBy(() -> strict.watch("ml", "model", md("loadQuery", "q", "targetLaod", "0.5")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("targetLaod");
          assertThat(e.getMessage()).contains("did you mean 'targetLoad'?", "--strict-metadata");
        });
    assertThat(strict.size()).isZero();
  }

  @Test
  void aNamespaceRunsAtMostItsShareOfConcurrentRefreshes() throws Exception {
    RefreshPermits permits = new RefreshPermits(1);
    signals.setLoad("a", "x", 0.5);
    CountDownLatch gate = signals.block();
    Watch blocked = new Watch(dev.legitscaler.scaler.source.ScalerConfig.parse("a", "x", md("loadQuery", "q"),
        ServerDefaults.none(), signals), clock, WatchObserver.NONE, permits);
    // a 2 s interval: it waits for the permit 1 s, then the interval's refresh is skipped
    Watch second = new Watch(dev.legitscaler.scaler.source.ScalerConfig.parse("a", "y",
        md("loadQuery", "q", "refreshInterval", "2s"), ServerDefaults.none(), signals), clock, metrics, permits);
    blocked.start(scheduler);
    while (signals.fetches.get() == 0) {
      Thread.sleep(5);
    }
    assertThat(permits.inUse()).isEqualTo(1);
    second.start(scheduler); // no permit: waits without holding a thread, then skipped
    for (int i = 0; i < 3000 && skipped() < 1; i++) {
      Thread.sleep(10);
    }
    assertThat(skipped()).isGreaterThanOrEqualTo(1);
    assertThat(signals.fetches.get()).isEqualTo(1);
    gate.countDown();
    blocked.firstSnapshot().join();
    blocked.close();
    second.close();
  }

  @Test
  void aRefreshThatMeetsABriefCollisionIsServedInItsIntervalNotSkipped() throws Exception {
    RefreshPermits permits = new RefreshPermits(1);
    signals.setLoad("a", "x", 0.5);
    signals.setLoad("a", "y", 0.5);
    CountDownLatch gate = signals.block();
    Watch first = new Watch(dev.legitscaler.scaler.source.ScalerConfig.parse("a", "x", md("loadQuery", "q"),
        ServerDefaults.none(), signals), clock, WatchObserver.NONE, permits);
    // a 10-minute interval: skipped, its first snapshot would come 10 minutes later
    Watch second = new Watch(dev.legitscaler.scaler.source.ScalerConfig.parse("a", "y", md("loadQuery", "q"),
        ServerDefaults.none(), signals), clock, metrics, permits);
    first.start(scheduler);
    while (signals.fetches.get() == 0) {
      Thread.sleep(5);
    }
    second.start(scheduler); // finds the permit taken
    Thread.sleep(100);
    gate.countDown(); // the collision ends: the permit is free again
    assertThat(second.firstSnapshot().get(60, java.util.concurrent.TimeUnit.SECONDS).result().available()).isTrue();
    assertThat(skipped()).isZero();
    first.close();
    second.close();
  }

  private double skipped() throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^legitscaler_refreshes_skipped_total (\\S+)$")
        .matcher(scrape());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
