package dev.legitscaler.loadtest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes {@link PlatformCpu.Snapshot}s of this JVM and its children: the OS's cumulative CPU time per
 * process ({@link ProcessHandle.Info#totalCpuDuration()}), a child's descendants added to it, and the
 * 1-minute load average from /proc/loadavg. The wall time comes from the injected clock.
 */
final class PlatformCpuProbe {
  /** How this JVM appears in the cost: it hosts the generator and the KEDA/HPA emulator. */
  static final String RUN_JVM = "run JVM (generator, KEDA/HPA emulator)";

  private final Clock clock;
  private final Path loadavg;

  PlatformCpuProbe(Clock clock, Path loadavg) {
    this.clock = clock;
    this.loadavg = loadavg;
  }

  static PlatformCpuProbe system() {
    return new PlatformCpuProbe(Clock.systemUTC(), Path.of("/proc/loadavg"));
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  PlatformCpu.Snapshot take() {
    List<PlatformCpu.Reading> readings = new ArrayList<>();
    ProcessHandle self = ProcessHandle.current();
    readings.add(new PlatformCpu.Reading(self.pid(), RUN_JVM, cpu(self)));
    self.children().forEach(child -> {
      Duration cpu = cpu(child);
      for (ProcessHandle d : (Iterable<ProcessHandle>) child.descendants()::iterator) {
        cpu = cpu.plus(cpu(d));
      }
      ProcessHandle.Info info = child.info();
      readings.add(new PlatformCpu.Reading(child.pid(),
          PlatformCpu.nameOf(info.command(), info.arguments().map(List::of).orElse(List.of())), cpu));
    });
    return new PlatformCpu.Snapshot(clock.instant(), readings, loadAverage());
  }

  private static Duration cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The first field of /proc/loadavg; NaN where there is none (not Linux). */
  double loadAverage() {
    try {
      return parseLoadAverage(Files.readString(loadavg)).orElse(Double.NaN);
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  static Optional<Double> parseLoadAverage(String text) {
    String[] fields = text.trim().split("\\s+");
    try {
      return fields.length == 0 || fields[0].isEmpty() ? Optional.empty() : Optional.of(Double.parseDouble(fields[0]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
