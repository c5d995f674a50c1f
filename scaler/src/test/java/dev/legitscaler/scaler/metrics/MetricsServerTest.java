package dev.legitscaler.scaler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.MutableClock;
import dev.legitscaler.scaler.watch.Registry;
import dev.legitscaler.scaler.watch.Watch;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /metrics over real HTTP carries every legitscaler name of docs/metrics.md plus JVM metrics. */
class MetricsServerTest {

  /** The scaler's names, read from the contract document itself. */
  static Set<String> documentedNames() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    String scalerSection = doc.substring(doc.indexOf("## legit-scaler"), doc.indexOf("## Reference model service"));
    Set<String> names = new LinkedHashSet<>();
    Matcher m = Pattern.compile("`(legitscaler_[a-z_]+)`").matcher(scalerSection);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void exposesEveryDocumentedName() throws Exception {
    Set<String> names = documentedNames();
    assertThat(names).hasSizeGreaterThanOrEqualTo(17);

    try (Served f = new Served()) {
      InMemorySignalFactory signals = f.signals;
      ScalerMetrics metrics = f.metrics;
      Registry registry = f.registry;
      MetricsServer server = f.server;
      signals.setLoad("ml", "model", 0.9, 0.8);
      signals.setLag("ml", "model", 12, true);
      signals.setLegitimacy("ml", "model", new LegitimacyReading(0.4, true, List.of("HEAVY_HITTERS"),
          Map.of("network_top_share_24", 0.6), List.of(), 0));
      Watch w = registry.watch("ml", "model", Map.of("loadQuery", "q", "topic", "t", "legitimacySource", "kafka"));
      w.firstSnapshot().join();
      signals.fail("load", "ml", "model", "http_5xx");
      w.refreshNow();
      metrics.grpcCall("externalscaler.ExternalScaler/GetMetrics", "OK", 1_000_000);
      metrics.onRefused("ml", "watches");

      String text = get(server.port());
      for (String name : names) {
        assertThat(text).as(name).containsPattern("(?m)^" + Pattern.quote(name) + "(_bucket|_count|_sum)?[{ ]");
      }
      String m = w.config().metricName();
      assertThat(text).contains("legitscaler_demand_replicas{metric=\"" + m
          + "\",namespace=\"ml\",scaled_object=\"model\",term=\"scored\"}");
      assertThat(text).contains("legitscaler_instance_load_ratio{instance=\"pod-0\",metric=\"" + m
          + "\",namespace=\"ml\",scaled_object=\"model\"} 0.9");
      assertThat(text).contains("legitscaler_legitimacy_applied_score{metric=\"" + m
          + "\",namespace=\"ml\",scaled_object=\"model\"} 0.4");

      // a second trigger of the same ScaledObject has series of its own, and keeps them when the first goes
      signals.heal("load", "ml", "model");
      Watch second = registry.watch("ml", "model", Map.of("loadQuery", "other"));
      second.firstSnapshot().join();
      String m2 = second.config().metricName();
      String both = get(server.port());
      assertThat(both).contains("legitscaler_active{metric=\"" + m + "\",namespace=\"ml\",scaled_object=\"model\"}")
          .contains("legitscaler_active{metric=\"" + m2 + "\",namespace=\"ml\",scaled_object=\"model\"}");
      metrics.onClosed(w.config());
      String afterFirst = get(server.port());
      assertThat(afterFirst).doesNotContain("metric=\"" + m + "\"")
          .contains("legitscaler_active{metric=\"" + m2 + "\",namespace=\"ml\",scaled_object=\"model\"}");
      assertThat(text).containsPattern("(?m)^jvm_memory_used_bytes");
      assertThat(text).containsPattern("(?m)^process_cpu_seconds_total");

      registry.close(); // the watch ends: its series go
      String after = get(server.port());
      assertThat(after).doesNotContain("scaled_object=\"model\"");
    }
  }

  @Test
  void anInstanceThatLeavesTheAnswerLosesItsSeriesAndNoOtherTriggersSeriesAreTouched() throws Exception {
    try (Served f = new Served()) {
      InMemorySignalFactory signals = f.signals;
      Registry registry = f.registry;
      MetricsServer server = f.server;
      signals.setLoad("ml", "model", 0.9, 0.8, 0.7);
      signals.setLoad("ml", "other", 0.5, 0.5, 0.5);
      Watch w = registry.watch("ml", "model", Map.of("loadQuery", "q"));
      Watch o = registry.watch("ml", "other", Map.of("loadQuery", "q"));
      w.firstSnapshot().join();
      o.firstSnapshot().join();
      assertThat(get(server.port())).contains(instance(w, "model", "pod-2") + " 0.7");

      signals.setLoad("ml", "model", 0.6); // two instances went away
      w.refreshNow();
      String text = get(server.port());
      assertThat(text).contains(instance(w, "model", "pod-0") + " 0.6")
          .doesNotContain(instance(w, "model", "pod-1")).doesNotContain(instance(w, "model", "pod-2"))
          .contains(instance(o, "other", "pod-1") + " 0.5").contains(instance(o, "other", "pod-2") + " 0.5");

      f.metrics.onClosed(w.config());
      assertThat(get(server.port())).doesNotContain("scaled_object=\"model\"")
          .contains(instance(o, "other", "pod-2") + " 0.5");
    }
  }

  /** A Registry of in-memory signals whose metrics are served over real HTTP; closing ends all of it. */
  private static final class Served implements AutoCloseable {
    final PrometheusRegistry prom = new PrometheusRegistry();
    final ScalerMetrics metrics = new ScalerMetrics(prom);
    final InMemorySignalFactory signals = new InMemorySignalFactory();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    final Registry registry = new Registry(ServerDefaults.none(), signals, scheduler,
        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), metrics);
    final MetricsServer server;

    Served() throws Exception {
      server = MetricsServer.start(prom, "127.0.0.1", 0);
    }

    @Override
    public void close() {
      server.close();
      registry.close();
      scheduler.shutdownNow();
    }
  }

  private static String instance(Watch w, String scaledObject, String instance) {
    return "legitscaler_instance_load_ratio{instance=\"" + instance + "\",metric=\"" + w.config().metricName()
        + "\",namespace=\"ml\",scaled_object=\"" + scaledObject + "\"}";
  }

  private static String get(int port) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
