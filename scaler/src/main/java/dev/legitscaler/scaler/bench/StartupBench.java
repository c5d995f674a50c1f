package dev.legitscaler.scaler.bench;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --startup-runs N}: start-to-SERVING and idle memory of the production server command
 * (the jar's main, no watches, no backends configured) and of the bare grpc-java Health server, for
 * each set of JVM options, runs interleaved (set A, set B, ..., then again) so that load from elsewhere
 * on a shared machine hits every set alike; medians over the runs.
 */
final class StartupBench {
  /** One measured start: launch to first SERVING, VmRSS after {@code idleMillis}, SIGTERM to exit. */
  record Start(long servingMs, long idleRssKb, long exitMs, int exitCode) {}

  private final String java;
  private final String classPath;
  private final long idleMillis;
  private final PortSource ports;

  interface PortSource {
    int get() throws IOException;
  }

  StartupBench(String java, String classPath, long idleMillis, PortSource ports) {
    this.java = java;
    this.classPath = classPath;
    this.idleMillis = idleMillis;
    this.ports = ports;
  }

  void run(List<String> sets, int runs, PrintWriter w, StringBuilder md) throws Exception {
    List<List<Start>> ours = new ArrayList<>();
    List<List<Start>> bare = new ArrayList<>();
    sets.forEach(s -> {
      ours.add(new ArrayList<>());
      bare.add(new ArrayList<>());
    });
    for (int r = 0; r < runs; r++) {
      for (int k = 0; k < sets.size(); k++) {
        List<String> opts = split(sets.get(k));
        int grpc = ports.get();
        List<String> server = new ArrayList<>(List.of(java));
        server.addAll(opts);
        server.addAll(List.of("-cp", classPath, "dev.legitscaler.scaler.Main", "--grpc-port", Integer.toString(grpc),
            "--metrics-port", Integer.toString(ports.get())));
        ours.get(k).add(start(server, grpc));
        int barePort = ports.get();
        List<String> floor = new ArrayList<>(List.of(java));
        floor.addAll(opts);
        floor.addAll(List.of("-cp", classPath, BareHealthServer.class.getName(), Integer.toString(barePort)));
        bare.get(k).add(start(floor, barePort));
        w.printf(Locale.ROOT, "run %d set [%s]: ours %s, bare %s%n", r + 1, sets.get(k), last(ours.get(k)),
            last(bare.get(k)));
        w.flush();
      }
    }
    md.append(String.format(Locale.ROOT, "%n| JVM options | ours: start to SERVING, median (runs) | ours: idle RSS MiB,"
        + " median (runs) | bare: start to SERVING, median | bare: idle RSS MiB, median | ours: SIGTERM to exit,"
        + " median (exit codes) |%n|---|---|---|---|---|---|%n"));
    for (int k = 0; k < sets.size(); k++) {
      List<Start> o = ours.get(k);
      List<Start> b = bare.get(k);
      md.append(String.format(Locale.ROOT, "| `%s` | %d ms (%s) | %d (%s) | %d ms | %d | %d ms (%s) |%n",
          sets.get(k).isBlank() ? "(none)" : sets.get(k), median(o, Start::servingMs), list(o, Start::servingMs, 1),
          median(o, Start::idleRssKb) / 1024, list(o, Start::idleRssKb, 1024), median(b, Start::servingMs),
          median(b, Start::idleRssKb) / 1024, median(o, Start::exitMs),
          String.join(",", o.stream().map(s -> Integer.toString(s.exitCode())).distinct().toList())));
    }
    w.print(md);
    w.flush();
  }

  private Start start(List<String> command, int port) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      long serving = -1;
      var health = HealthGrpc.newBlockingStub(ch);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (serving < 0 && System.nanoTime() < deadline && p.isAlive()) {
        try {
          if (health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
              .getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
            serving = (System.nanoTime() - t0) / 1_000_000;
          }
        } catch (RuntimeException e) {
          Thread.sleep(5);
        }
      }
      if (serving < 0) {
        throw new IllegalStateException("no SERVING within 60 s (alive: " + p.isAlive() + "): " + command);
      }
      Thread.sleep(idleMillis);
      long rss = BenchCommand.rssKb(p.pid());
      long s0 = System.nanoTime();
      p.destroy();
      boolean exited = p.waitFor(15, TimeUnit.SECONDS);
      return new Start(serving, rss, (System.nanoTime() - s0) / 1_000_000, exited ? p.exitValue() : -1);
    } finally {
      ch.shutdownNow();
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static List<String> split(String set) {
    return Arrays.stream(set.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  private static String last(List<Start> s) {
    Start x = s.get(s.size() - 1);
    return x.servingMs() + " ms, " + x.idleRssKb() / 1024 + " MiB";
  }

  interface Field {
    long of(Start s);
  }

  private static long median(List<Start> s, Field f) {
    long[] v = s.stream().mapToLong(f::of).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String list(List<Start> s, Field f, long div) {
    return String.join(", ", s.stream().map(x -> Long.toString(f.of(x) / div)).toList());
  }
}
