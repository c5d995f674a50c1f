package dev.legitscaler.scaler.bench;

import dev.legitscaler.proto.externalscaler.ExternalScalerGrpc;
import dev.legitscaler.proto.externalscaler.GetMetricsRequest;
import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the server as a child JVM (synthetic signals, real transport and handlers), watches N
 * ScaledObjects and measures GetMetrics and grpc.health.v1.Health/Check side by side over loopback at
 * several concurrency levels, plus start-to-SERVING time and resident memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: GetMetrics vs Health/Check over loopback against a child server JVM.")
public final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--scaled-objects", defaultValue = "200", description = "watched ScaledObjects (default ${DEFAULT-VALUE})")
  int scaledObjects;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,8,64",
      description = "calls in flight, comma-separated (default ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "warm-up per step (default ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--seconds", defaultValue = "10", description = "measured time per step (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--out", description = "also write the markdown result to this file")
  Path out;

  @Option(names = "--server-java-option", description = "a JVM option for the server process, repeatable"
      + " (e.g. the container's -XX:SharedArchiveFile=...)")
  List<String> serverJavaOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    int grpcPort = freePort();
    int metricsPort = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    long t0 = System.nanoTime();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(serverJavaOptions);
    command.addAll(List.of("-cp", cp, "dev.legitscaler.scaler.Main", "bench-server",
        "--grpc-port", Integer.toString(grpcPort), "--metrics-port", Integer.toString(metricsPort)));
    Process child = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    StringBuilder md = new StringBuilder();
    try {
      long startupMs = awaitServing(ch, t0);
      var scaler = ExternalScalerGrpc.newBlockingStub(ch);
      List<GetMetricsRequest> requests = new ArrayList<>();
      for (int i = 0; i < scaledObjects; i++) {
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("bench").setName("model-" + i)
            .putScalerMetadata("loadQuery", "synthetic").putScalerMetadata("scalerAddress", "127.0.0.1:" + grpcPort)
            .build();
        String name = scaler.withDeadlineAfter(10, TimeUnit.SECONDS).getMetricSpec(ref).getMetricSpecs(0).getMetricName();
        requests.add(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(name).build());
      }
      for (GetMetricsRequest r : requests) {
        scaler.withDeadlineAfter(10, TimeUnit.SECONDS).getMetrics(r);
      }
      Thread.sleep(2000);
      long idleRss = rssKb(child.pid());
      md.append("| calls in flight | RPC | calls/s | p50 µs | p99 µs | p99.9 µs | errors |\n");
      md.append("|---:|---|---:|---:|---:|---:|---:|\n");
      long maxRss = idleRss;
      StringBuilder ratios = new StringBuilder(String.format(Locale.ROOT,
          "%n| calls in flight | GetMetrics / Health calls/s | GetMetrics / Health p99 |%n|---:|---:|---:|%n"));
      for (int c : concurrency) {
        Call getMetrics = i -> ExternalScalerGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .getMetrics(requests.get(i % requests.size()));
        Call healthCheck = i -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
        run(getMetrics, c, warmupSeconds * 1000L, null);
        run(healthCheck, c, warmupSeconds * 1000L, null);
        // Alternate one-second slices of the two RPCs: on a shared machine, load from elsewhere then
        // hits both alike instead of whichever step happened to run during a burst.
        Result[] total = {Result.empty(), Result.empty()};
        for (int slice = 0; slice < seconds; slice++) {
          total[0] = total[0].plus(run(getMetrics, c, 1000, () -> rssKb(child.pid())));
          total[1] = total[1].plus(run(healthCheck, c, 1000, () -> rssKb(child.pid())));
        }
        for (int k = 0; k < 2; k++) {
          Result r = total[k];
          maxRss = Math.max(maxRss, r.maxRssKb);
          String line = String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f | %d |%n", c,
              k == 0 ? "GetMetrics" : "Health/Check", r.callsPerSecond(), r.h.getValueAtPercentile(50) / 1000.0,
              r.h.getValueAtPercentile(99) / 1000.0, r.h.getValueAtPercentile(99.9) / 1000.0, r.errors);
          md.append(line);
          w.print(line);
          w.flush();
        }
        ratios.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f |%n", c,
            total[0].callsPerSecond() / total[1].callsPerSecond(),
            (double) total[0].h.getValueAtPercentile(99) / total[1].h.getValueAtPercentile(99)));
      }
      md.append(ratios);
      w.print(ratios);
      md.append(String.format(Locale.ROOT, "%nstart to SERVING (child JVM launch to first SERVING health check): %d ms%n",
          startupMs));
      md.append(String.format(Locale.ROOT, "resident memory (VmRSS) with %d watches: idle %d MiB, under load (max) %d MiB%n",
          scaledObjects, idleRss / 1024, maxRss / 1024));
      long s0 = System.nanoTime();
      child.destroy();
      boolean exited = child.waitFor(15, TimeUnit.SECONDS);
      md.append(String.format(Locale.ROOT, "SIGTERM to exit: %d ms (exit code %s)%n", (System.nanoTime() - s0) / 1_000_000,
          exited ? Integer.toString(child.exitValue()) : "none"));
      w.print(md.substring(md.indexOf("\nstart to SERVING")));
      w.flush();
      if (out != null) {
        Files.writeString(out, md.toString());
      }
      return 0;
    } finally {
      ch.shutdownNow();
      child.destroyForcibly();
    }
  }

  interface Call {
    void call(int i);
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
