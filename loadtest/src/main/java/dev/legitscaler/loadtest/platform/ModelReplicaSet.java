package dev.legitscaler.loadtest.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulated model Deployment: one child JVM of {@code loadtest model-server} per replica. Scaling
 * happens in the background (a JVM takes seconds to start, the emulator must not wait for it), and
 * every change rewrites a Prometheus file_sd target file, so Prometheus discovers the replicas as a
 * ServiceMonitor would, with the {@code namespace} and {@code pod} target labels the rules expect.
 *
 * <p>Pod start delay: a model pod serves only some time after the HPA asked for it (image pull, model
 * load); the offline evaluation assumes {@code Spec.startDelay}. A replica counts as ready (and becomes
 * a scrape target) only once both its JVM printed its ready line and that delay has passed since it was
 * asked for; its JVM is launched late by the delay minus the start-up time the previous replica took,
 * so that it also starts consuming at about that moment.
 */
public final class ModelReplicaSet implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("model-server ready .*?port=(\\d+)");

  /**
   * What a replica is started with, apart from its name.
   *
   * @param startDelay wall time from a replica being asked for to it serving (zero: as soon as its JVM is up)
   */
  public record Spec(List<String> modelServerArgs, String namespace, String deployment, Duration startDelay) {
    public Spec(List<String> modelServerArgs, String namespace, String deployment) {
      this(modelServerArgs, namespace, deployment, Duration.ZERO);
    }
  }

  /** A replica; {@code process} is null until launched, {@code port} 0 until it is ready. */
  private static final class Replica {
    final String name;
    final long requestedNanos;
    volatile ManagedProcess process;
    volatile int port;
    volatile boolean removed;

    Replica(String name, long requestedNanos) {
      this.name = name;
      this.requestedNanos = requestedNanos;
    }
  }

  private final Path dir;
  private final Spec spec;
  private final Path targetsFile;
  private final List<Replica> replicas = new ArrayList<>();
  // one thread: starts and stops happen in the order they were asked for
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "model-replicas");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.ScheduledExecutorService launcher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "model-replica-launcher");
    t.setDaemon(true);
    return t;
  });
  private int nextIndex;
  private boolean closed;
  /** Launch-to-ready time of the last replica that became ready (JVM start-up on this machine, now). */
  private volatile long lastStartupNanos;

  public ModelReplicaSet(Path dir, Spec spec) throws IOException {
    this.dir = dir.toAbsolutePath();
    this.spec = spec;
    Files.createDirectories(this.dir);
    this.targetsFile = this.dir.resolve("targets.json");
    writeTargets();
  }

  /** The file_sd file Prometheus should watch. */
  public Path targetsFile() {
    return targetsFile;
  }

  /** Starts or stops replicas until {@code n} exist; returns at once. */
  public synchronized void scaleTo(int n) {
    if (closed) {
      return;
    }
    while (replicas.size() < n) {
      Replica r = new Replica(spec.deployment() + "-" + nextIndex++, System.nanoTime());
      replicas.add(r);
      long launchIn = Math.max(0, spec.startDelay().toNanos() - lastStartupNanos);
      launcher.schedule(() -> launch(r), launchIn, TimeUnit.NANOSECONDS);
    }
    while (replicas.size() > n) {
      // the replica asked for last goes first (a ReplicaSet deletes not-ready pods first)
      Replica r = replicas.remove(replicas.size() - 1);
      r.removed = true;
      r.port = 0;
      writeTargetsQuietly();
      worker.execute(() -> {
        ManagedProcess p = r.process;
        if (p != null) {
          p.stop(Duration.ofSeconds(10));
        }
      });
    }
  }

  private void launch(Replica r) {
    synchronized (this) {
      if (closed || r.removed) {
        return;
      }
      try {
        List<String> cmd = new ArrayList<>(List.of(Java.executable(), "-Xms32m", "-Xmx160m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", Java.classPath(), "dev.legitscaler.loadtest.Main", "model-server",
            "--instance", r.name));
        cmd.addAll(spec.modelServerArgs());
        r.process = ManagedProcess.start(r.name, cmd, dir, dir.resolve(r.name + ".log"));
      } catch (IOException e) {
        System.err.println("cannot start model replica " + r.name + ": " + e.getMessage());
        return;
      }
    }
    worker.execute(() -> awaitReady(r));
  }

  private void awaitReady(Replica r) {
    try {
      long launched = System.nanoTime();
      r.process.awaitReady(() -> readyPort(r) > 0, Duration.ofSeconds(90));
      lastStartupNanos = System.nanoTime() - launched;
      long due = r.requestedNanos + spec.startDelay().toNanos() - System.nanoTime();
      if (due > 0) {
        Thread.sleep(due / 1_000_000L, (int) (due % 1_000_000L));
      }
      synchronized (this) {
        if (replicas.contains(r)) {
          r.port = readyPort(r);
          writeTargetsQuietly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("model replica " + r.name + " did not become ready: " + e.getMessage());
    }
  }

  private static int readyPort(Replica r) {
    try {
      for (String line : Files.readAllLines(r.process.log())) {
        Matcher m = READY.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // not written yet
    }
    return 0;
  }

  /** Replicas that exist (started, not yet stopped). */
  public synchronized int total() {
    return replicas.size();
  }

  /** Replicas that answer (printed their ready line and are alive). */
  public synchronized int ready() {
    return (int) replicas.stream().filter(r -> r.port > 0 && r.process != null && r.process.isAlive()).count();
  }

  /** HTTP base URLs of the ready replicas. */
  public synchronized List<String> readyUrls() {
    return replicas.stream().filter(r -> r.port > 0).map(r -> "http://127.0.0.1:" + r.port).toList();
  }

  private void writeTargetsQuietly() {
    try {
      writeTargets();
    } catch (IOException e) {
      System.err.println("model replicas: cannot write " + targetsFile + ": " + e.getMessage());
    }
  }

  private synchronized void writeTargets() throws IOException {
    List<PrometheusConfig.FileSdTarget> targets = new ArrayList<>();
    for (Replica r : replicas) {
      if (r.port > 0) {
        targets.add(new PrometheusConfig.FileSdTarget("127.0.0.1:" + r.port, java.util.Map.of(
            "namespace", spec.namespace(), "pod", r.name, "deployment", spec.deployment())));
      }
    }
    // write then rename: Prometheus must never read a half-written file
    Path tmp = targetsFile.resolveSibling("targets.json.tmp");
    Files.writeString(tmp, PrometheusConfig.fileSdJson(targets));
    Files.move(tmp, targetsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    List<Replica> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(replicas);
      replicas.clear();
    }
    launcher.shutdownNow();
    worker.shutdownNow();
    all.removeIf(r -> r.process == null);
    // SIGTERM all at once, then wait: stopping one after the other would take n grace periods
    all.forEach(r -> r.process.terminate());
    all.forEach(r -> r.process.stop(Duration.ofSeconds(10)));
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
