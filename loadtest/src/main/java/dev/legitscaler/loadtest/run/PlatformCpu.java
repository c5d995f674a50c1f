package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.report.HtmlReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the platform itself cost in CPU between the start and the end of the traffic: per process
 * (the run JVM, which hosts the generator and the KEDA/HPA emulator, and every child) the CPU seconds,
 * the average cores they amount to, and the machine's load average and core count. When the platform
 * needs most of the machine, its own readings (lag, latency, detection delays) may include
 * scheduling delays, so the report says so.
 *
 * <p>Pure: {@link #between} turns two {@link Snapshot}s into the cost; {@link PlatformCpuProbe} takes
 * them.
 *
 * @param wallSeconds wall time between the two snapshots
 * @param cores the machine's cores (available processors)
 * @param loadAverageStart 1-minute load average at the start; NaN when unknown
 * @param loadAverageEnd 1-minute load average at the end; NaN when unknown
 */
public record PlatformCpu(List<Process> processes, double wallSeconds, int cores, double loadAverageStart,
    double loadAverageEnd) {
  public PlatformCpu {
    processes = List.copyOf(processes);
  }

  /** One process's cost: CPU seconds used during the traffic and the average cores that is. */
  public record Process(String name, long pid, double cpuSeconds, double cores) {}

  /**
   * One process's cumulative CPU time at a moment (itself plus its descendants, since a child may be a
   * wrapper such as a shell script around the real binary).
   */
  public record Reading(long pid, String name, Duration cpu) {}

  /** Every process's reading at one moment; loadAverage NaN when unknown. */
  public record Snapshot(Instant at, List<Reading> readings, double loadAverage) {
    public Snapshot {
      readings = List.copyOf(readings);
    }

    /**
     * This snapshot with a newer one laid over it: the newer readings win, and a process that has
     * exited since (a replica scaled down) keeps its last reading, so its CPU is not lost.
     */
    public Snapshot then(Snapshot newer) {
      Map<Long, Reading> byPid = new LinkedHashMap<>();
      readings.forEach(r -> byPid.put(r.pid(), r));
      newer.readings().forEach(r -> byPid.put(r.pid(), r));
      return new Snapshot(newer.at(), new ArrayList<>(byPid.values()), newer.loadAverage());
    }
  }

  /**
   * The cost between {@code start} and {@code end}: a process absent at the start started during the
   * traffic and counts from zero; a process absent at the end is not counted (merge with
   * {@link Snapshot#then} to keep the processes that exited). A reading that went backwards (a reused
   * pid) counts from zero too.
   */
  public static PlatformCpu between(Snapshot start, Snapshot end, int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be >= 1, got " + cores);
    }
    double wall = Duration.between(start.at(), end.at()).toNanos() / 1e9;
    Map<Long, Reading> before = new LinkedHashMap<>();
    start.readings().forEach(r -> before.put(r.pid(), r));
    List<Process> out = new ArrayList<>();
    for (Reading r : end.readings()) {
      Reading b = before.get(r.pid());
      Duration used = b == null || r.cpu().compareTo(b.cpu()) < 0 ? r.cpu() : r.cpu().minus(b.cpu());
      double seconds = used.toNanos() / 1e9;
      out.add(new Process(r.name(), r.pid(), seconds, wall > 0 ? seconds / wall : 0));
    }
    out.sort(Comparator.comparingDouble(Process::cpuSeconds).reversed().thenComparing(Process::name));
    return new PlatformCpu(out, wall, cores, start.loadAverage(), end.loadAverage());
  }

  public double totalCpuSeconds() {
    return processes.stream().mapToDouble(Process::cpuSeconds).sum();
  }

  /** The whole platform's average cores over the traffic. */
  public double totalCores() {
    return wallSeconds > 0 ? totalCpuSeconds() / wallSeconds : 0;
  }

  /** Whether the platform needed more than {@link HtmlReport#MOST_OF_MACHINE} of the machine's cores. */
  public boolean mostOfMachine() {
    return totalCores() > HtmlReport.MOST_OF_MACHINE * cores;
  }

  /**
   * A process's name from its command line: what the platform started it as (kafka broker, scaler,
   * prometheus, alertmanager, model replica NAME, workers), else the executable's file name.
   */
  public static String nameOf(Optional<String> command, List<String> args) {
    int instance = args.indexOf("--instance");
    if (args.contains("model-server") && instance >= 0 && instance + 1 < args.size()) {
      return "model replica " + args.get(instance + 1);
    }
    if (args.contains("kafka.Kafka")) {
      return "kafka broker";
    }
    if (args.stream().anyMatch(a -> a.endsWith("legit-scaler.jar"))) {
      return "scaler";
    }
    if (args.contains("workers")) {
      return "workers";
    }
    String exe = command.map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("");
    // alertmanager first: Debian's binary is prometheus-alertmanager
    if (exe.contains("alertmanager")) {
      return "alertmanager";
    }
    if (exe.contains("prometheus")) {
      return "prometheus";
    }
    return exe.isEmpty() ? "process" : exe;
  }
}
