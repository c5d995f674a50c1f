package dev.legitscaler.scaler.bench;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the server as a child JVM (real transport and handlers; synthetic signals or real loopback
 * Prometheus servers) and, as the floor, a bare grpc-java Health server as a second child JVM with the
 * same JVM options; watches N ScaledObjects spread over namespaces and backends, and measures GetMetrics
 * and Health/Check on our server and Health/Check on the bare one in interleaved one-second slices at
 * several concurrency levels; plus start-to-SERVING, resident memory and missed refresh deadlines.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: GetMetrics and Health/Check on the server vs a bare grpc-java Health server, over loopback.")
public final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--scaled-objects", defaultValue = "200", description = "watched ScaledObjects (default ${DEFAULT-VALUE})")
  int scaledObjects;

  @Option(names = "--namespaces", defaultValue = "1",
      description = "namespaces the ScaledObjects are spread over, Zipf-like: a few with many, most with few"
          + " (default ${DEFAULT-VALUE})")
  int namespaces;

  @Option(names = "--signals", defaultValue = "synthetic",
      description = "synthetic (I/O-free) or prometheus (real loopback Prometheus servers) (default ${DEFAULT-VALUE})")
  BenchServerCommand.Signals signals;

  @Option(names = "--prometheus-backends", defaultValue = "10",
      description = "with --signals prometheus: how many Prometheus servers to start (default ${DEFAULT-VALUE})")
  int prometheusBackends;

  @Option(names = "--prometheus-binary", defaultValue = "prometheus", description = "Prometheus executable (default ${DEFAULT-VALUE})")
  String prometheusBinary;

  @Option(names = "--refresh-interval-ms", defaultValue = "5000",
      description = "the server's default refreshInterval (default ${DEFAULT-VALUE})")
  long refreshIntervalMs;

  @Option(names = "--refresh-threads", defaultValue = "4",
      description = "the server's --refresh-threads (default ${DEFAULT-VALUE}, the server's default)")
  int refreshThreads;

  @Mixin
  RefreshPermitOptions permits;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,8,64",
      description = "calls in flight, comma-separated (default ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up per step (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--seconds", defaultValue = "10", description = "measured one-second slices per arm and step (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--out", description = "also write the markdown result to this file")
  Path out;

  @Option(names = "--server-java-option", description = "a JVM option for both server processes, repeatable"
      + " (e.g. the container's -XX:SharedArchiveFile=...)")
  List<String> serverJavaOptions = new ArrayList<>();

  @Option(names = "--no-bare", description = "do not start the bare grpc-java Health server (the floor arm)")
  boolean noBare;

  @Option(names = "--startup-runs", defaultValue = "0",
      description = "only measure start-up: start the production server command (no watches) and the bare"
          + " server this many times per --jvm-set, interleaved, and print medians")
  int startupRuns;

  @Option(names = "--jvm-set", description = "with --startup-runs: one set of JVM options, space-separated"
      + " (repeatable; an empty string is the JVM's defaults)")
  List<String> jvmSets = new ArrayList<>();

  @Option(names = "--idle-ms", defaultValue = "3000",
      description = "with --startup-runs: how long after SERVING the idle RSS is read (default ${DEFAULT-VALUE})")
  long idleMs;

  private long registerRetries;

  private static final String[] ARMS = {"GetMetrics", "Health/Check", "bare Health/Check"};

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    StringBuilder md = new StringBuilder();
    if (startupRuns > 0) {
      new StartupBench(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          System.getProperty("java.class.path"), idleMs, BenchCommand::freePort)
          .run(jvmSets.isEmpty() ? List.of("") : jvmSets, startupRuns, w, md);
      md.append(String.format(Locale.ROOT, "%nload average at the end: %s%n",
          Files.readString(Path.of("/proc/loadavg")).trim()));
      if (out != null) {
        Files.writeString(out, md.toString());
      }
      return 0;
    }
    PrometheusBackends backends = null;
    List<Process> children = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    Path report = Files.createTempFile("bench-refresh-", ".txt");
    // Interrupted (Ctrl-C, SIGTERM): the finally below does not run, so end the child JVMs and
    // Prometheus servers from a hook instead of leaving them behind.
    Thread reaper = new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy), "reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      if (signals == BenchServerCommand.Signals.prometheus) {
        backends = PrometheusBackends.start(prometheusBinary, prometheusBackends, BenchCommand::freePort);
        note(w, md, "backends: %d real Prometheus servers on loopback (%s), %d scraped series each%n",
            prometheusBackends, prometheusBinary, PrometheusBackends.INSTANCES);
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("java.class.path");
      int grpcPort = freePort();
      List<String> ours = new ArrayList<>(List.of(java));
      ours.addAll(serverJavaOptions);
      ours.addAll(List.of("-cp", cp, "dev.legitscaler.scaler.Main", "bench-server", "--grpc-port",
          Integer.toString(grpcPort), "--metrics-port", Integer.toString(freePort()), "--signals", signals.name(),
          "--refresh-interval-ms", Long.toString(refreshIntervalMs),
          "--refresh-threads", Integer.toString(refreshThreads), "--refresh-report", report.toString()));
      ours.addAll(permits.arguments());
      long t0 = System.nanoTime();
      Process server = new ProcessBuilder(ours).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      children.add(server);
      ManagedChannel ch = channel(grpcPort, channels);
      long startupMs = awaitServing(ch, t0);
      // The bare server starts after ours is SERVING, so the two starts do not compete for the CPU.
      Process bareServer = null;
      ManagedChannel bareCh = null;
      long bareStartupMs = -1;
      if (!noBare) {
        int barePort = freePort();
        List<String> floor = new ArrayList<>(List.of(java));
        floor.addAll(serverJavaOptions);
        floor.addAll(List.of("-cp", cp, BareHealthServer.class.getName(), Integer.toString(barePort)));
        long b0 = System.nanoTime();
        bareServer = new ProcessBuilder(floor).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        children.add(bareServer);
        bareCh = channel(barePort, channels);
        bareStartupMs = awaitServing(bareCh, b0);
      }
      long serverPid = server.pid();
      long[] maxRss = {rssKb(serverPid)};
      long r0 = System.nanoTime();
      List<GetMetricsRequest> requests;
      try {
        requests = register(ch, grpcPort, backends, () -> maxRss[0] = Math.max(maxRss[0], rssKb(serverPid)));
      } catch (RegistrationStopped e) {
        // Report how far it got and what the server's refreshes did, instead of only the failed call.
        note(w, md, "%s after %d ms (%d GetMetrics retried after UNAVAILABLE warming up); max RSS %d MiB%n",
            e.getMessage(), (System.nanoTime() - r0) / 1_000_000, registerRetries, maxRss[0] / 1024);
        stopAndReport(server, report, w, md);
        return 1;
      }
      long registerMs = (System.nanoTime() - r0) / 1_000_000;
      // Idle: every watch has refreshed at least once more and nothing calls the server.
      Thread.sleep(Math.max(2000, refreshIntervalMs + 1000));
      long idleRss = rssKb(serverPid);
      long bareIdleRss = bareServer == null ? -1 : rssKb(bareServer.pid());
      maxRss[0] = Math.max(maxRss[0], idleRss);
      md.append("| calls in flight | RPC | calls/s | p50 µs | p99 µs | p99.9 µs | errors |\n");
      md.append("|---:|---|---:|---:|---:|---:|---:|\n");
      StringBuilder ratios = new StringBuilder(String.format(Locale.ROOT,
          "%n| calls in flight | GetMetrics / bare Health calls/s | GetMetrics / bare Health p99"
              + " | GetMetrics / our Health calls/s | GetMetrics / our Health p99 | our Health / bare Health calls/s"
              + " | our Health / bare Health p99 |%n|---:|---:|---:|---:|---:|---:|---:|%n"));
      ManagedChannel floorCh = bareCh;
      for (int c : concurrency) {
        List<Call> arms = new ArrayList<>();
        arms.add(i -> ExternalScalerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .getMetrics(requests.get(i % requests.size())));
        arms.add(i -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()));
        if (floorCh != null) {
          arms.add(i -> HealthGrpc.newBlockingStub(floorCh).withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance()));
        }
        for (Call a : arms) {
          run(a, c, warmupSeconds * 1000L, null);
        }
        // Alternate one-second slices of the arms: on a shared machine, load from elsewhere then hits
        // all of them alike instead of whichever step happened to run during a burst.
        Result[] total = new Result[arms.size()];
        Arrays.fill(total, Result.empty());
        for (int slice = 0; slice < seconds; slice++) {
          for (int k = 0; k < arms.size(); k++) {
            total[k] = total[k].plus(run(arms.get(k), c, 1000, () -> rssKb(serverPid)));
          }
        }
        for (int k = 0; k < arms.size(); k++) {
          Result r = total[k];
          if (k < 2) {
            maxRss[0] = Math.max(maxRss[0], r.maxRssKb);
          }
          String line = String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f | %d |%n", c, ARMS[k],
              r.callsPerSecond(), r.h.getValueAtPercentile(50) / 1000.0, r.h.getValueAtPercentile(99) / 1000.0,
              r.h.getValueAtPercentile(99.9) / 1000.0, r.errors);
          md.append(line);
          w.print(line);
          w.flush();
        }
        Result floor = total.length > 2 ? total[2] : null;
        ratios.append(String.format(Locale.ROOT, "| %d | %s | %s | %.2f | %.2f | %s | %s |%n", c,
            cps(total[0], floor), p99(total[0], floor), total[0].callsPerSecond() / total[1].callsPerSecond(),
            (double) total[0].h.getValueAtPercentile(99) / total[1].h.getValueAtPercentile(99),
            cps(total[1], floor), p99(total[1], floor)));
      }
      md.append(ratios);
      w.print(ratios);
      note(w, md, "%nwatched ScaledObjects: %d over %d namespaces (largest %d, median %d, smallest %d), %s signals%s;"
              + " registered in %d ms (%d GetMetrics retried after UNAVAILABLE warming up)%n", scaledObjects, namespaces, spread()[0], spread()[namespaces / 2],
          spread()[namespaces - 1], signals, backends == null ? "" : " from " + prometheusBackends + " backends",
          registerMs, registerRetries);
      note(w, md, "start to SERVING (child JVM launch to first SERVING health check): ours %d ms, bare %s ms%n",
          startupMs, bareStartupMs < 0 ? "-" : Long.toString(bareStartupMs));
      note(w, md, "resident memory (VmRSS), ours with %d watches: idle %d MiB, max (registration and load) %d MiB;"
          + " bare idle %s MiB%n", scaledObjects, idleRss / 1024, maxRss[0] / 1024,
          bareIdleRss < 0 ? "-" : Long.toString(bareIdleRss / 1024));
      stopAndReport(server, report, w, md);
      return 0;
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
      children.forEach(Process::destroy);
      for (Process p : children) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (backends != null) {
        backends.close();
      }
      Files.deleteIfExists(report);
    }
  }

  /** SIGTERM to the server, then its refresh report (written on SIGTERM) and the load; writes --out. */
  private void stopAndReport(Process server, Path report, PrintWriter w, StringBuilder md)
      throws IOException, InterruptedException {
    long s0 = System.nanoTime();
    server.destroy();
    boolean exited = server.waitFor(15, TimeUnit.SECONDS);
    note(w, md, "SIGTERM to exit: %d ms (exit code %s)%n", (System.nanoTime() - s0) / 1_000_000,
        exited ? Integer.toString(server.exitValue()) : "none");
    String refresh = Files.exists(report) ? Files.readString(report).trim() : "";
    note(w, md, "%s (refresh interval %d ms, %d refresh threads; missed = gap between two fetch ends of one watch"
            + " > interval + 1 s)%n", refresh.isEmpty() ? "refresh report: none written" : refresh, refreshIntervalMs,
        refreshThreads);
    note(w, md, "load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    if (out != null) {
      Files.writeString(out, md.toString());
    }
  }

  private static void note(PrintWriter w, StringBuilder md, String format, Object... args) {
    String s = String.format(Locale.ROOT, format, args);
    md.append(s);
    w.print(s);
    w.flush();
  }

  private static String cps(Result r, Result floor) {
    return floor == null ? "-" : String.format(Locale.ROOT, "%.2f", r.callsPerSecond() / floor.callsPerSecond());
  }

  private static String p99(Result r, Result floor) {
    return floor == null ? "-" : String.format(Locale.ROOT, "%.2f",
        (double) r.h.getValueAtPercentile(99) / floor.h.getValueAtPercentile(99));
  }

  private static ManagedChannel channel(int port, List<ManagedChannel> channels) {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(ch);
    return ch;
  }

  /**
   * ScaledObjects per namespace, largest first: weight 1/(rank+1) (Zipf, s = 1), every namespace at
   * least one. With 10,000 over 100 namespaces: 1,927 in the largest, 19 in the smallest.
   */
  int[] spread() {
    return Spread.zipf(scaledObjects, namespaces);
  }

  /** Pure arithmetic of the spread, kept apart for its table test. */
  static final class Spread {
    private Spread() {}

    static int[] zipf(int total, int groups) {
      if (groups < 1 || total < groups) {
        throw new IllegalArgumentException("need at least one ScaledObject per namespace: " + total + " over " + groups);
      }
      double h = 0;
      for (int k = 1; k <= groups; k++) {
        h += 1.0 / k;
      }
      int[] n = new int[groups];
      int sum = 0;
      for (int k = 0; k < groups; k++) {
        n[k] = Math.max(1, (int) Math.floor(total / h / (k + 1)));
        sum += n[k];
      }
      // Rounding: hand the remainder out from the largest down (or take the excess from the largest).
      for (int k = 0; sum != total; k = (k + 1) % groups) {
        if (sum < total) {
          n[k]++;
          sum++;
        } else if (n[k] > 1) {
          n[k]--;
          sum--;
        }
      }
      return n;
    }
  }

  interface Probe {
    void sample() throws IOException;
  }

  /** Watches every ScaledObject (GetMetricSpec, then a first GetMetrics) from 16 threads; returns the requests. */
  private List<GetMetricsRequest> register(ManagedChannel ch, int grpcPort, PrometheusBackends backends, Probe rss)
      throws Exception {
    int[] perNamespace = spread();
    List<ScaledObjectRef> refs = new ArrayList<>();
    for (int ns = 0; ns < namespaces; ns++) {
      for (int j = 0; j < perNamespace[ns]; j++) {
        ScaledObjectRef.Builder b = ScaledObjectRef.newBuilder()
            .setNamespace(namespaces == 1 ? "bench" : String.format(Locale.ROOT, "team-%03d", ns))
            .setName("model-" + j);
        if (backends == null) {
          b.putScalerMetadata("loadQuery", "synthetic").putScalerMetadata("scalerAddress", "127.0.0.1:" + grpcPort);
        } else {
          // A namespace's triggers use one backend; backends are dealt to namespaces in turn, so the
          // largest namespaces land on different servers.
          b.putScalerMetadata("loadQuery", PrometheusBackends.LOAD_QUERY)
              .putScalerMetadata("serverAddress", backends.urls().get(ns % backends.urls().size()));
        }
        refs.add(b.build());
      }
    }
    GetMetricsRequest[] out = new GetMetricsRequest[refs.size()];
    AtomicLong warmupRetries = new AtomicLong();
    AtomicLong registered = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int first = t;
        fs.add(pool.submit(() -> {
          var scaler = ExternalScalerGrpc.newBlockingStub(ch);
          for (int i = first; i < refs.size(); i += 16) {
            ScaledObjectRef ref = refs.get(i);
            String name = scaler.withDeadlineAfter(30, TimeUnit.SECONDS).getMetricSpec(ref).getMetricSpecs(0)
                .getMetricName();
            out[i] = GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(name).build();
            // Like KEDA, retry while the watch's first refresh has not completed (UNAVAILABLE, warming up).
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); ; ) {
              try {
                scaler.withDeadlineAfter(30, TimeUnit.SECONDS).getMetrics(out[i]);
                registered.incrementAndGet();
                break;
              } catch (io.grpc.StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE || System.nanoTime() > until) {
                  throw new RegistrationStopped(String.format(Locale.ROOT,
                      "registration stopped: %d of %d watches served a first GetMetrics; %s/%s: %s", registered.get(),
                      refs.size(), ref.getNamespace(), ref.getName(), e.getStatus()));
                }
                warmupRetries.incrementAndGet();
                Thread.sleep(200);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        while (true) {
          try {
            f.get(500, TimeUnit.MILLISECONDS);
            break;
          } catch (java.util.concurrent.TimeoutException e) {
            rss.sample();
          } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RegistrationStopped stopped) {
              throw stopped;
            }
            throw e;
          }
        }
      }
    } finally {
      pool.shutdownNow();
      registerRetries = warmupRetries.get();
    }
    return List.of(out);
  }

  interface Call {
    void call(int i);
  }

  /** A watch was not served within the warming-up limit; the message says how far registration got. */
  static final class RegistrationStopped extends Exception {
    RegistrationStopped(String message) {
      super(message);
    }
  }

  record Result(long calls, double seconds, Histogram h, long errors, long maxRssKb) {
    static Result empty() {
      return new Result(0, 0, new Histogram(TimeUnit.SECONDS.toNanos(20), 3), 0, 0);
    }

    Result plus(Result o) {
      Histogram sum = new Histogram(TimeUnit.SECONDS.toNanos(20), 3);
      sum.add(h);
      sum.add(o.h);
      return new Result(calls + o.calls, seconds + o.seconds, sum, errors + o.errors, Math.max(maxRssKb, o.maxRssKb));
    }

    double callsPerSecond() {
      return seconds == 0 ? 0 : calls / seconds;
    }
  }

  interface RssProbe {
    long read() throws IOException;
  }

  private static Result run(Call call, int threads, long millis, RssProbe rss) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<Histogram> hs = new ArrayList<>();
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(20), 3);
      hs.add(h);
      int offset = t * 7919;
      Thread th = new Thread(() -> {
        int i = offset;
        while (System.nanoTime() < end) {
          long s = System.nanoTime();
          try {
            call.call(i++);
            h.recordValue(Math.min(System.nanoTime() - s, h.getHighestTrackableValue()));
            calls.incrementAndGet();
          } catch (RuntimeException e) {
            errors.incrementAndGet();
          }
        }
        done.countDown();
      }, "bench-caller-" + t);
      th.setDaemon(true);
      th.start();
    }
    long maxRss = 0;
    while (!done.await(500, TimeUnit.MILLISECONDS)) {
      if (rss != null) {
        maxRss = Math.max(maxRss, rss.read());
      }
    }
    double took = (System.nanoTime() - start) / 1e9;
    Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(20), 3);
    hs.forEach(all::add);
    return new Result(calls.get(), took, all, errors.get(), maxRss);
  }

  private static long awaitServing(ManagedChannel ch, long t0) throws InterruptedException {
    var health = HealthGrpc.newBlockingStub(ch);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()
            == HealthCheckResponse.ServingStatus.SERVING) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("bench server did not reach SERVING within 60 s");
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
