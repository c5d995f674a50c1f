package dev.legitscaler.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlatformCpuTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path tmp;

  private static PlatformCpu.Reading r(long pid, String name, long cpuMillis) {
    return new PlatformCpu.Reading(pid, name, Duration.ofMillis(cpuMillis));
  }

  private static PlatformCpu.Snapshot at(long wallSeconds, double load, PlatformCpu.Reading... readings) {
    return new PlatformCpu.Snapshot(T0.plusSeconds(wallSeconds), List.of(readings), load);
  }

  /** start, end, cores, expected name -> cpu seconds, expected total cores. */
  static Stream<Arguments> costs() {
    return Stream.of(
        Arguments.of("each process's difference over the wall time",
            at(0, 0.5, r(1, "run", 2_000), r(2, "kafka broker", 10_000)),
            at(100, 1.5, r(1, "run", 52_000), r(2, "kafka broker", 40_000)),
            2, Map.of("run", 50.0, "kafka broker", 30.0), 0.8),
        Arguments.of("a process started during the traffic counts from zero",
            at(0, 0, r(1, "run", 1_000)),
            at(10, 0, r(1, "run", 6_000), r(7, "model replica model-4", 3_000)),
            4, Map.of("run", 5.0, "model replica model-4", 3.0), 0.8),
        Arguments.of("a process gone at the end is not counted",
            at(0, 0, r(1, "run", 1_000), r(5, "model replica model-1", 9_000)),
            at(20, 0, r(1, "run", 11_000)),
            2, Map.of("run", 10.0), 0.5),
        Arguments.of("a reading that went backwards (reused pid) counts from zero",
            at(0, 0, r(9, "scaler", 50_000)),
            at(10, 0, r(9, "prometheus", 4_000)),
            1, Map.of("prometheus", 4.0), 0.4),
        Arguments.of("no wall time: zero cores, not a division by zero",
            at(5, 0, r(1, "run", 1_000)),
            at(5, 0, r(1, "run", 3_000)),
            2, Map.of("run", 2.0), 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("costs")
  void costBetweenTwoSnapshots(String why, PlatformCpu.Snapshot start, PlatformCpu.Snapshot end, int cores,
      Map<String, Double> cpuSeconds, double totalCores) {
    PlatformCpu cost = PlatformCpu.between(start, end, cores);

    assertThat(cost.processes()).extracting(PlatformCpu.Process::name).containsExactlyInAnyOrderElementsOf(cpuSeconds.keySet());
    for (PlatformCpu.Process p : cost.processes()) {
      assertThat(p.cpuSeconds()).as(p.name()).isCloseTo(cpuSeconds.get(p.name()), within(1e-9));
      double wall = cost.wallSeconds();
      assertThat(p.cores()).as(p.name() + " cores").isCloseTo(wall > 0 ? p.cpuSeconds() / wall : 0, within(1e-9));
    }
    assertThat(cost.totalCpuSeconds()).isCloseTo(cpuSeconds.values().stream().mapToDouble(d -> d).sum(), within(1e-9));
    assertThat(cost.totalCores()).isCloseTo(totalCores, within(1e-9));
    assertThat(cost.cores()).isEqualTo(cores);
    assertThat(cost.loadAverageStart()).isEqualTo(start.loadAverage());
    assertThat(cost.loadAverageEnd()).isEqualTo(end.loadAverage());
  }

  @Test
  void processesAreListedMostExpensiveFirst() {
    PlatformCpu cost = PlatformCpu.between(at(0, 0, r(1, "a", 0), r(2, "b", 0), r(3, "c", 0)),
        at(10, 0, r(1, "a", 1_000), r(2, "b", 5_000), r(3, "c", 3_000)), 2);
    assertThat(cost.processes()).extracting(PlatformCpu.Process::name).containsExactly("b", "c", "a");
  }

  @ParameterizedTest(name = "{0} of {1} cores -> most of the machine: {2}")
  @MethodSource("shares")
  void mostOfTheMachineAbove80PercentOfTheCores(double cpuSeconds, int cores, boolean most) {
    PlatformCpu cost = PlatformCpu.between(at(0, 0, r(1, "run", 0)), at(100, 0, r(1, "run", (long) (cpuSeconds * 1000))), cores);
    assertThat(cost.mostOfMachine()).isEqualTo(most);
  }

  static Stream<Arguments> shares() {
    return Stream.of(Arguments.of(150.0, 2, false), Arguments.of(160.0, 2, false), Arguments.of(161.0, 2, true),
        Arguments.of(79.0, 1, false), Arguments.of(95.0, 1, true), Arguments.of(190.0, 4, false));
  }

  @Test
  void aScaledDownReplicaKeepsItsLastReadingWhenSnapshotsAreLaidOver() {
    PlatformCpu.Snapshot start = at(0, 0.1, r(1, "run", 0), r(4, "model replica model-3", 1_000));
    PlatformCpu.Snapshot mid = at(5, 0.2, r(1, "run", 2_000), r(4, "model replica model-3", 4_000));
    PlatformCpu.Snapshot end = at(10, 0.3, r(1, "run", 5_000));

    PlatformCpu.Snapshot seen = start.then(mid).then(end);

    assertThat(seen.at()).isEqualTo(end.at());
    assertThat(seen.loadAverage()).isEqualTo(0.3);
    PlatformCpu cost = PlatformCpu.between(start, seen, 2);
    assertThat(cost.processes()).extracting(PlatformCpu.Process::name, PlatformCpu.Process::cpuSeconds)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("run", 5.0), org.assertj.core.groups.Tuple.tuple("model replica model-3", 3.0));
  }

  @Test
  void zeroCoresIsRejected() {
    assertThatThrownBy(() -> PlatformCpu.between(at(0, 0), at(1, 0), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of("/usr/lib/jvm/bin/java", "-Xmx160m -cp x dev.legitscaler.loadtest.Main model-server --instance model-2 --topic t",
            "model replica model-2"),
        Arguments.of("/usr/lib/jvm/bin/java", "-Xms128m -cp x kafka.Kafka /tmp/k/server.properties", "kafka broker"),
        Arguments.of("/usr/lib/jvm/bin/java", "-Xmx256m -jar /repo/scaler/target/legit-scaler.jar --grpc-port 1", "scaler"),
        Arguments.of("/usr/lib/jvm/bin/java", "-cp x dev.legitscaler.loadtest.Main workers --topic t", "workers"),
        Arguments.of("/usr/bin/prometheus", "--config.file=/tmp/out/prometheus/prometheus.yml", "prometheus"),
        Arguments.of("/usr/bin/prometheus-alertmanager", "--config.file=/tmp/out/alerting/alertmanager.yml", "alertmanager"),
        Arguments.of("/bin/sleep", "5", "sleep"),
        Arguments.of(null, "", "process"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("commandLines")
  void aChildIsNamedByWhatThePlatformStartedItAs(String command, String args, String name) {
    List<String> list = args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
    assertThat(PlatformCpu.nameOf(Optional.ofNullable(command), list)).isEqualTo(name);
  }

  @Test
  void loadAverageIsTheFirstFieldOfProcLoadavg() throws Exception {
    assertThat(PlatformCpuProbe.parseLoadAverage("1.93 1.57 1.20 3/412 12345\n")).contains(1.93);
    assertThat(PlatformCpuProbe.parseLoadAverage("")).isEmpty();
    assertThat(PlatformCpuProbe.parseLoadAverage("n/a")).isEmpty();
    Path file = Files.writeString(tmp.resolve("loadavg"), "0.42 0.30 0.10 1/99 7\n");
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    assertThat(new PlatformCpuProbe(clock, file).loadAverage()).isEqualTo(0.42);
    assertThat(new PlatformCpuProbe(clock, tmp.resolve("missing")).loadAverage()).isNaN();
  }

  @Test
  void theProbeReadsThisJvmAndItsChildrenAtTheClocksInstant() throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      PlatformCpu.Snapshot s = new PlatformCpuProbe(Clock.fixed(T0, ZoneOffset.UTC), tmp.resolve("none")).take();
      assertThat(s.at()).isEqualTo(T0);
      assertThat(s.loadAverage()).isNaN();
      List<String> names = new ArrayList<>(s.readings().stream().map(PlatformCpu.Reading::name).toList());
      assertThat(names).contains(PlatformCpuProbe.RUN_JVM, "sleep");
      assertThat(s.readings().stream().filter(x -> x.pid() == ProcessHandle.current().pid()).findFirst().orElseThrow().cpu())
          .isPositive();
    } finally {
      child.destroyForcibly().waitFor();
    }
  }
}
