package dev.legitscaler.scaler.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.signal.kafka.KafkaAdminPool;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;
import dev.legitscaler.scaler.testing.Eventually;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.KafkaTestBroker;
import dev.legitscaler.scaler.testing.LiveClassHistogram;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import dev.legitscaler.scaler.watch.Watch;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of distinct ScaledObjects on the production wiring with the real client pools, a real
 * Kafka broker and two real Prometheus servers: while watched, one client per upstream address; after
 * idle expiry, no Watch, no client, no client thread, no per-ScaledObject series; and the scaler's own
 * live objects go back down, wave after wave (counted by class after a full GC, never time). The heap
 * in use is reported too, but not asserted: the broker and Prometheus clients in this JVM grow it by
 * megabytes on a busy machine.
 */
class ManyScaledObjectsTest {
  static final int SCALED_OBJECTS = 300;
  static final Duration WAIT = Duration.ofSeconds(120);
  static final Duration IDLE_EXPIRY = Duration.ofSeconds(5);

  @Test
  void poolsHoldOneClientPerAddressAndExpiredWatchesReleaseEverything() throws Exception {
    try (KafkaTestBroker kafka = new KafkaTestBroker().start();
        GaugeExporter model = GaugeExporter.start();
        PrometheusProcess promA = PrometheusProcess.start(model.target());
        PrometheusProcess promB = PrometheusProcess.start(model.target());
        ScalerUnderTest scaler = ScalerUnderTest.start(
            ScalerUnderTest.defaults(Duration.ofSeconds(2), Duration.ofSeconds(60), IDLE_EXPIRY))) {
      model.set("ml_model_saturation_ratio", 0.7);
      kafka.createTopic("requests", 3);
      kafka.produce("requests", 0, 10);
      promA.awaitSeries("ml_model_saturation_ratio", 1, WAIT);
      promB.awaitSeries("ml_model_saturation_ratio", 1, WAIT);
      int kafkaPort = Integer.parseInt(kafka.bootstrapServers().replaceAll(".*:", ""));
      // Three Prometheus addresses (one server under two names, and a second server) and two Kafka
      // bootstrap lists (one broker under two names): the pools key clients by address.
      List<String> prometheus = List.of("http://127.0.0.1:" + promA.port(), "http://localhost:" + promA.port(),
          "http://127.0.0.1:" + promB.port());
      List<String> bootstraps = List.of("localhost:" + kafkaPort, "127.0.0.1:" + kafkaPort);
      PrometheusClientPool promPool = scaler.signals.prometheusPool();
      KafkaAdminPool kafkaPool = scaler.signals.kafkaPool();
      String scrapeBefore = scaler.scrape();
      assertThat(scrapeBefore).doesNotContain("scaled_object=\"wave-");
      long threadsBefore = Thread.getAllStackTraces().size();
      java.util.Set<String> namesBefore = new java.util.TreeSet<>();
      Thread.getAllStackTraces().keySet().forEach(t -> namesBefore.add(t.getName()));
      long clientThreadsBefore = clientThreads(); // the test's own HTTP clients (scrapes, Prometheus queries)
      long heapBefore = retainedHeap();
      LiveClassHistogram classesBefore = LiveClassHistogram.take();
      LiveClassHistogram[] classesAfterExpiry = new LiveClassHistogram[2];

      long[] watched = new long[2];
      long[] afterExpiry = new long[2];
      for (int wave = 0; wave < 2; wave++) {
        List<ScaledObjectRef> refs = new ArrayList<>();
        for (int i = 0; i < SCALED_OBJECTS; i++) {
          refs.add(ScalerUnderTest.ref("wave-" + wave + "-so-" + i, Map.of(
              "serverAddress", prometheus.get(i % 3), "loadQuery", "ml_model_saturation_ratio",
              "bootstrapServers", bootstraps.get(i % 2), "consumerGroup", "group-" + i, "topic", "requests",
              "allowIdleConsumers", "true")));
        }
        // KEDA asks about every ScaledObject (GetMetricSpec creates the Watch and keeps it alive) until
        // each one has refreshed both signals.
        Eventually.until(WAIT, "every watch refreshed", () -> {
          refs.forEach(scaler::metricName);
          return scaler.app.registry().all();
        }, all -> all.size() == SCALED_OBJECTS && all.stream().allMatch(ManyScaledObjectsTest::bothFresh));

        assertThat(promPool.openClients()).as("one Prometheus client per address").isEqualTo(3);
        prometheus.forEach(a -> assertThat(promPool.users(a)).as(a).isEqualTo(SCALED_OBJECTS / 3));
        assertThat(kafkaPool.openClients()).as("one Admin client per bootstrap list").isEqualTo(2);
        assertThat(threadsNamed("kafka-admin-client-thread | legit-scaler-lag")).isEqualTo(2);
        refs.forEach(scaler::metricName);
        watched[wave] = retainedHeap() - heapBefore;
        assertThat(scaler.scrape()).contains("scaled_object=\"wave-" + wave + "-so-299\"");

        // Nobody asks any more: every Watch expires and gives its clients back.
        Eventually.until(WAIT, "every watch expired", () -> scaler.app.registry().size(), n -> n == 0);
        assertThat(promPool.openClients()).isZero();
        assertThat(kafkaPool.openClients()).isZero();
        Eventually.until(WAIT, "client threads gone", () -> {
          System.gc(); // an HttpClient's selector thread ends once the client is collected
          return clientThreads();
        }, n -> n == clientThreadsBefore);
        String scrape = scaler.scrape();
        assertThat(scrape).doesNotContain("scaled_object=\"wave-");
        assertThat(ScalerUnderTest.series(scrape, "legitscaler_watches")).isZero();
        afterExpiry[wave] = retainedHeap() - heapBefore;
        classesAfterExpiry[wave] = LiveClassHistogram.take();
      }
      long threadsAfter = Thread.getAllStackTraces().size();
      java.util.Set<String> namesAfter = new java.util.TreeSet<>();
      Thread.getAllStackTraces().keySet().forEach(t -> namesAfter.add(t.getName()));
      namesAfter.removeAll(namesBefore);
      System.out.println("SCALE new threads: " + namesAfter);
      System.out.printf("SCALE %d ScaledObjects: retained heap while watched %d / %d KiB (%.1f KiB each),"
              + " after expiry %d / %d KiB; threads before %d, after %d%n", SCALED_OBJECTS, watched[0] / 1024,
          watched[1] / 1024, watched[1] / 1024.0 / SCALED_OBJECTS, afterExpiry[0] / 1024, afterExpiry[1] / 1024,
          threadsBefore, threadsAfter);
      // Bounded: a watched ScaledObject costs well under 256 KiB of heap.
      assertThat(watched[1]).isLessThan(SCALED_OBJECTS * 256L * 1024);
      // An expired one leaves nothing behind: no Watch, no client object of ours or of the libraries we
      // open, and the scaler's own live objects do not grow from wave to wave (a wave of 300 watches
      // holds ~11 MiB, so a leak of even 1 % of it per watch would show).
      for (LiveClassHistogram after : classesAfterExpiry) {
        assertThat(after.instances(Watch.class.getName())).as("live Watch objects after expiry").isZero();
        for (String client : List.of("jdk.internal.net.http.HttpClientFacade",
            "org.apache.kafka.clients.admin.KafkaAdminClient")) {
          assertThat(after.instances(client)).as("live " + client + " after expiry")
              .isLessThanOrEqualTo(classesBefore.instances(client));
        }
      }
      // WatchKey is excluded: the request cache keeps up to its capacity of small keys (32 B each) by
      // design, so wave 1 adds 300 of them; everything else of ours must stay where wave 0 left it.
      java.util.function.Predicate<String> ours = c -> c.startsWith("dev.legitscaler.scaler.")
          && !c.startsWith("dev.legitscaler.scaler.testing.") && !c.equals(WatchKey.class.getName());
      long oursWave0 = classesAfterExpiry[0].bytes(ours);
      long oursWave1 = classesAfterExpiry[1].bytes(ours);
      System.out.printf("SCALE scaler-owned live objects: before %d B, after expiry %d / %d B; cached keys %d%n",
          classesBefore.bytes(ours), oursWave0, oursWave1, classesAfterExpiry[1].instances(WatchKey.class.getName()));
      assertThat(oursWave1 - oursWave0).as("scaler-owned bytes growing from wave to wave")
          .isLessThan(4L * 1024);
      // (other tests in this JVM may still hold keys of their own: count this test's only)
      assertThat(classesAfterExpiry[1].instances(WatchKey.class.getName())
          - classesBefore.instances(WatchKey.class.getName())).as("cached keys added by the two waves")
          .isLessThanOrEqualTo(2L * SCALED_OBJECTS);
      // Threads started meanwhile belong to bounded pools (gRPC, /metrics, refreshers; the broker's
      // own in this JVM), none to a Watch or a client.
      assertThat(namesAfter).noneMatch(n -> n.contains("legit-scaler-lag") || n.startsWith("prometheus-client"));
      System.out.println("SCALE java.net.http selector threads now: " + threadsNamed("HttpClient-"));
    }
  }

  private static boolean bothFresh(Watch w) {
    return w.current().map(s -> s.input().load() instanceof SignalState.Fresh
        && s.input().lag() instanceof SignalState.Fresh).orElse(false);
  }

  /**
   * Threads whose lifetime the scaler's code controls: Kafka Admin network threads and the Prometheus
   * clients' executors end on close. (java.net.http's own "HttpClient-N-SelectorManager" thread ends
   * only once its client is garbage-collected — a GC the JVM does not promise, and the test's own
   * scrape clients start such threads too — so it is reported, not asserted.)
   */
  private static long clientThreads() {
    return threadsNamed("kafka-admin-client-thread | legit-scaler-lag") + threadsNamed("prometheus-client ");
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
  }

  /** Heap in use after full collections: what is retained, not what is garbage. */
  private static long retainedHeap() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}
