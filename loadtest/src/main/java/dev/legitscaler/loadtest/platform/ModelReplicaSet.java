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
 */
public final class ModelReplicaSet implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("model-server ready .*?port=(\\d+)");

  /** What a replica is started with, apart from its name. */
  public record Spec(List<String> modelServerArgs, String namespace, String deployment) {}

  /** A running replica; {@code port} is 0 until it printed its ready line. */
  private static final class Replica {
    final String name;
    final ManagedProcess process;
    volatile int port;

    Replica(String name, ManagedProcess process) {
      this.name = name;
      this.process = process;
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
  private int nextIndex;
  private boolean closed;

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
      String name = spec.deployment() + "-" + nextIndex++;
      Replica r;
      try {
        List<String> cmd = new ArrayList<>(List.of(Java.executable(), "-Xms32m", "-Xmx160m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", Java.classPath(), "dev.legitscaler.loadtest.Main", "model-server",
            "--instance", name));
        cmd.addAll(spec.modelServerArgs());
        r = new Replica(name, ManagedProcess.start(name, cmd, dir, dir.resolve(name + ".log")));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot start model replica " + name, e);
      }
      replicas.add(r);
      worker.execute(() -> awaitReady(r));
    }
    while (replicas.size() > n) {
      Replica r = replicas.remove(replicas.size() - 1);
      r.port = 0;
      writeTargetsQuietly();
      worker.execute(() -> r.process.stop(Duration.ofSeconds(10)));
    }
  }

  private void awaitReady(Replica r) {
    try {
      r.process.awaitReady(() -> readyPort(r) > 0, Duration.ofSeconds(90));
      synchronized (this) {
        if (replicas.contains(r)) {
          r.port = readyPort(r);
          writeTargetsQuietly();
        }
      }
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
    return (int) replicas.stream().filter(r -> r.port > 0 && r.process.isAlive()).count();
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
    StringBuilder sb = new StringBuilder("[");
    boolean first = true;
    for (Replica r : replicas) {
      if (r.port <= 0) {
        continue;
      }
      sb.append(first ? "" : ",").append("\n  {\"targets\": [\"127.0.0.1:").append(r.port).append("\"], \"labels\": {")
          .append("\"namespace\": \"").append(spec.namespace()).append("\", \"pod\": \"").append(r.name)
          .append("\", \"deployment\": \"").append(spec.deployment()).append("\"}}");
      first = false;
    }
    sb.append("\n]\n");
    // write then rename: Prometheus must never read a half-written file
    Path tmp = targetsFile.resolveSibling("targets.json.tmp");
    Files.writeString(tmp, sb.toString());
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
    worker.shutdownNow();
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
