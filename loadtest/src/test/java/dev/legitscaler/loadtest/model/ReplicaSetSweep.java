package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.payload.RequestPayload;
import dev.legitscaler.loadtest.platform.KafkaBrokerProcess;
import dev.legitscaler.loadtest.platform.ModelReplicaSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Drives one model replica set the way the local platform runs it (a Kafka broker and one
 * {@code loadtest model-server} JVM per replica, started by the platform's own classes) through a
 * sequence of steady offered loads, and measures, per load: each replica's {@code
 * ml_model_saturation_ratio} (as scraped from its /metrics), the p95 of {@code
 * ml_model_request_duration_seconds} over the step, the per-partition lag (log end minus committed
 * offset) and the CPU the broker and the replicas used.
 *
 * <p>Offered load is defined per replica as the rate of the records produced to its partitions over
 * its nominal capacity (slots / service time, in wall time: the scenario's capacity times K). The
 * producer writes Poisson arrivals round-robin over the partitions and the partitions are a multiple
 * of the replicas, so every replica is offered the same share.
 */
final class ReplicaSetSweep implements AutoCloseable {

  /** How the replica set is sized and played. Durations are scenario time, divided by {@code timeScale}. */
  record Setup(int replicas, int partitions, int slots, double capacityPerReplica, double timeScale,
      Duration warmUp, Duration measure, int lingerMs) {
    Duration serviceTime() {
      return Duration.ofNanos(Math.round(slots * 1e9 / capacityPerReplica));
    }

    double wallCapacityPerReplica() {
      return capacityPerReplica * timeScale;
    }

    double wallServiceSeconds() {
      return serviceTime().toNanos() / 1e9 / timeScale;
    }

    Duration wall(Duration scenario) {
      return Duration.ofNanos(Math.round(scenario.toNanos() / timeScale));
    }
  }

  /** What one step measured. Saturation quantiles are over every scrape of every replica. */
  record Row(double offered, double[] medianSaturationPerReplica, double saturationP05, double saturationP95,
      double p95Seconds, double p95UpperBoundSeconds, double lagP95, long lagMax, double cores, long served,
      long sent, double loadAverage) {

    double worstSaturationError() {
      return Arrays.stream(medianSaturationPerReplica).map(s -> Math.abs(s - offered)).max().orElse(Double.NaN);
    }
  }

  private static final String TOPIC = "ml-requests";
  private static final String GROUP = "ml-model";

  private final Setup setup;
  private final Path dir;
  private final KafkaBrokerProcess kafka;
  private final ModelReplicaSet replicas;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> log = new ArrayList<>();

  ReplicaSetSweep(Setup setup, Path dir) throws Exception {
    this.setup = setup;
    this.dir = dir;
    kafka = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofSeconds(120));
    admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    admin.createTopics(List.of(new NewTopic(TOPIC, setup.partitions(), (short) 1))).all().get(60, TimeUnit.SECONDS);
    // the flags the platform should start a replica with: scenario durations and its time scale
    replicas = new ModelReplicaSet(dir.resolve("models"), new ModelReplicaSet.Spec(List.of(
        "--bootstrap-servers", kafka.bootstrapServers(), "--topic", TOPIC, "--group", GROUP,
        "--predictions-topic", "none",
        "--slots", Integer.toString(setup.slots()),
        "--service-time", String.format(Locale.ROOT, "%.3fms", setup.serviceTime().toNanos() / 1e6),
        "--saturation-window", "5s",
        "--time-scale", Double.toString(setup.timeScale())), "ml", "ml-model"));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    // as the platform's generator sends
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(setup.lingerMs()));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  /** Starts the replicas and waits until each is ready and owns partitions/replicas partitions. */
  void start(Duration timeout) throws Exception {
    replicas.scaleTo(setup.replicas());
    long deadline = System.nanoTime() + timeout.toNanos();
    int share = setup.partitions() / setup.replicas();
    while (true) {
      if (replicas.ready() == setup.replicas()) {
        try {
          ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS)
              .get(GROUP);
          Collection<MemberDescription> members = g.members();
          if (members.size() == setup.replicas()
              && members.stream().allMatch(m -> m.assignment().topicPartitions().size() == share)) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException e) {
          // the group does not exist until the first replica joined it
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replica set not ready and balanced within " + timeout + ": ready "
            + replicas.ready() + "/" + setup.replicas());
      }
      Thread.sleep(200);
    }
  }

  /**
   * A discarded step at 30 % so that the replicas' JIT, connections and fetch sessions are warm: the
   * first seconds of a fresh JVM are not the steady state the sweep is about.
   */
  void warmUp() throws Exception {
    step(0.3);
    log.clear();
  }

  List<String> log() {
    return log;
  }

  /** Holds {@code offered} (fraction of nominal capacity) for warm-up + measure and returns what it saw. */
  Row step(double offered) throws Exception {
    double wallRate = offered * setup.replicas() * setup.wallCapacityPerReplica();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    Thread gen = new Thread(() -> produce(wallRate, producing, sent), "sweep-producer");
    gen.setDaemon(true);
    gen.start();
    try {
      Thread.sleep(setup.wall(setup.warmUp()).toMillis());
      List<String> urls = replicas.readyUrls();
      Map<Double, Double> bucketsBefore = buckets(urls);
      double servedBefore = served(urls);
      long cpuBefore = childCpuTicks();
      long sentBefore = sent.get();
      long t0 = System.nanoTime();
      long end = t0 + setup.wall(setup.measure()).toNanos();
      List<List<Double>> saturation = new ArrayList<>();
      urls.forEach(u -> saturation.add(new ArrayList<>()));
      List<Long> lags = new ArrayList<>();
      while (System.nanoTime() < end) {
        for (int i = 0; i < urls.size(); i++) {
          Double s = gauge(urls.get(i), "ml_model_saturation_ratio");
          if (s != null) {
            saturation.get(i).add(s);
          }
        }
        List<Long> sample = lagPerPartition();
        if (Boolean.getBoolean("sweep.debug")) {
          System.out.println("lag " + sample);
        }
        lags.addAll(sample);
        Thread.sleep(100);
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long cpuAfter = childCpuTicks();
      long sentDuring = sent.get() - sentBefore;
      double actualOffered = (sent.get() - sentBefore) / elapsed / (setup.replicas() * setup.wallCapacityPerReplica());
      Map<Double, Double> bucketsAfter = buckets(urls);
      double servedAfter = served(urls);
      double[] medians = saturation.stream().mapToDouble(ReplicaSetSweep::median).toArray();
      List<Double> all = saturation.stream().flatMap(List::stream).sorted().toList();
      TreeMap<Double, Double> delta = new TreeMap<>();
      bucketsAfter.forEach((le, c) -> delta.put(le, c - bucketsBefore.getOrDefault(le, 0.0)));
      List<Long> sortedLags = lags.stream().sorted().toList();
      double cores = (cpuAfter - cpuBefore) / (double) CLOCK_TICKS / elapsed;
      Row row = new Row(actualOffered, medians, quantile(all, 0.05), quantile(all, 0.95),
          histogramQuantile(delta, 0.95), bucketUpperBound(delta, 0.95), quantileLong(sortedLags, 0.95),
          sortedLags.isEmpty() ? -1 : sortedLags.get(sortedLags.size() - 1), cores, Math.round(servedAfter - servedBefore),
          sentDuring, loadAverage());
      log.add(format(row));
      return row;
    } finally {
      producing.set(false);
      gen.join(5000);
    }
  }

  /** Poisson arrivals at {@code wallRate}/s, round-robin over the partitions, send-ts = intended time. */
  private void produce(double wallRate, AtomicBoolean producing, AtomicLong sent) {
    SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(wallRate));
    long next = System.nanoTime();
    long epochOffsetMicros = epochMicros(Instant.now()) - System.nanoTime() / 1000;
    long seq = 0;
    while (producing.get()) {
      long now = System.nanoTime();
      // late after a descheduling: send what is due at once, the rate is what counts
      while (next <= now && producing.get()) {
        int partition = (int) (seq % setup.partitions());
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, partition,
                ("client-" + seq % 300).getBytes(StandardCharsets.UTF_8), RequestPayload.forEvent(7, seq, true));
        // the time it is really sent: a load generator late on a busy machine is not the replicas' latency
        r.headers().add(RequestHeaders.SEND_TS,
            RequestHeaders.utf8(Long.toString(epochOffsetMicros + System.nanoTime() / 1000)));
        producer.send(r);
        sent.incrementAndGet();
        seq++;
        next += (long) (-Math.log(1 - random.nextDouble()) / wallRate * 1e9);
      }
      LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
    }
    producer.flush();
  }

  private List<Long> lagPerPartition() throws Exception {
    // both asked at once, so that the two reads are as close in time as the broker answers them
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < setup.partitions(); p++) {
      latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    var committedFuture = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata();
    var endFuture = admin.listOffsets(latest).all();
    Map<TopicPartition, OffsetAndMetadata> committed = committedFuture.get(10, TimeUnit.SECONDS);
    List<Long> out = new ArrayList<>();
    new TreeMap<>(endFuture.get(10, TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()))).forEach((p, end) -> {
          OffsetAndMetadata c = committed.get(new TopicPartition(TOPIC, p));
          out.add(end - (c == null ? 0 : c.offset()));
        });
    return out;
  }

  private String scrape(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private Double gauge(String url, String name) {
    return scrape(url).lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(null);
  }

  private double served(List<String> urls) {
    return urls.stream().flatMap(u -> scrape(u).lines())
        .filter(l -> l.startsWith("ml_model_request_duration_seconds_count "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Cumulative bucket counts summed over the replicas, by upper bound (+Inf as infinity). */
  private Map<Double, Double> buckets(List<String> urls) {
    Map<Double, Double> sum = new HashMap<>();
    for (String u : urls) {
      scrape(u).lines().filter(l -> l.startsWith("ml_model_request_duration_seconds_bucket{le=\"")).forEach(l -> {
        String le = l.substring(l.indexOf("le=\"") + 4, l.indexOf('"', l.indexOf("le=\"") + 4));
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        sum.merge(bound, Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum);
      });
    }
    return sum;
  }

  /** Prometheus' histogram_quantile: linear interpolation inside the bucket the quantile falls in. */
  static double histogramQuantile(TreeMap<Double, Double> cumulative, double q) {
    if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
      return Double.NaN;
    }
    double rank = q * cumulative.lastEntry().getValue();
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank) {
        if (e.getKey().isInfinite()) {
          return lowerBound;
        }
        return lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / Math.max(1e-12, e.getValue() - lowerCount);
      }
      lowerBound = e.getKey();
      lowerCount = e.getValue();
    }
    return lowerBound;
  }

  /** The upper bound of the bucket the quantile falls in: the p95 is at most this. */
  static double bucketUpperBound(TreeMap<Double, Double> cumulative, double q) {
    if (cumulative.isEmpty() || cumulative.lastEntry().getValue() <= 0) {
      return Double.NaN;
    }
    double rank = q * cumulative.lastEntry().getValue();
    return cumulative.entrySet().stream().filter(e -> e.getValue() >= rank).findFirst().orElseThrow().getKey();
  }

  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  /** utime + stime of every descendant of this JVM (the broker and the replicas), in clock ticks. */
  private static long childCpuTicks() {
    return ProcessHandle.current().descendants().mapToLong(h -> {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        return 0;
      }
    }).sum();
  }

  /** The machine's 1-minute load average: how busy it was while the step ran. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double median(List<Double> xs) {
    return quantile(xs.stream().sorted().toList(), 0.5);
  }

  private static double quantile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static double quantileLong(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  static String header() {
    return "| offered | saturation, median per replica | saturation p5–p95 | p95 latency (≤ bucket) | p95 / service time | lag p95 / max | CPU (cores) | load avg |";
  }

  String format(Row r) {
    double service = setup.wallServiceSeconds();
    return String.format(Locale.ROOT, "| %.2f | %s | %.2f–%.2f | %.1f ms (≤ %.1f ms) | %.2f | %.0f / %d | %.2f | %.0f |",
        r.offered(), Arrays.stream(r.medianSaturationPerReplica()).mapToObj(s -> String.format(Locale.ROOT, "%.2f", s))
            .collect(Collectors.joining(" ")),
        r.saturationP05(), r.saturationP95(), r.p95Seconds() * 1000, r.p95UpperBoundSeconds() * 1000,
        r.p95Seconds() / service, r.lagP95(), r.lagMax(), r.cores(), r.loadAverage());
  }

  static long epochMicros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    replicas.close();
    admin.close(Duration.ofSeconds(5));
    kafka.close();
  }

  /**
   * The benchmark: {@code java -cp ... ReplicaSetSweep [timeScale] [loads...]}; prints the table of
   * BENCHMARKS.md ("Model replica set: saturation vs offered load").
   */
  public static void main(String[] args) throws Exception {
    double k = args.length > 0 ? Double.parseDouble(args[0]) : 6;
    double[] loads = args.length > 1 ? Arrays.stream(args).skip(1).mapToDouble(Double::parseDouble).toArray()
        : new double[] {0.1, 0.3, 0.5, 0.7, 0.8, 0.9};
    Path dir = Files.createTempDirectory("replica-sweep-");
    Setup setup = new Setup(4, 12, 4, 50, k, Duration.ofSeconds(15), Duration.ofSeconds(45), 5);
    try (ReplicaSetSweep sweep = new ReplicaSetSweep(setup, dir)) {
      sweep.start(Duration.ofSeconds(120));
      sweep.warmUp();
      System.out.println(header());
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (double l : loads) {
        sweep.step(l);
        System.out.println(sweep.log().get(sweep.log().size() - 1));
      }
    }
  }
}
