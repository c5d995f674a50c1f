package dev.legitscaler.loadtest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.KedaHpaEmulator;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loadtest hpa emulate SCALEDOBJECT.yaml}: the KEDA + HPA emulator against the live scaler the
 * ScaledObject names, for a while, printing one JSON line per HPA reconcile and per scale change. It is
 * how the emulator is compared with the real KEDA and kube-controller-manager (scripts/k8s/test-k8s.sh):
 * both follow the same scaler at the same time.
 */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    description = "Runs the KEDA + HPA emulator against the live scaler of a ScaledObject (plaintext gRPC) for --duration and"
        + " prints one JSON line per HPA reconcile ({\"sync\": ...}) and per scale change ({\"scale\": ...}); the target"
        + " is taken as settled (every replica asked for exists and is ready).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ran for --duration", "2:malformed input"})
public final class EmulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SCALEDOBJECT.yaml", description = "the ScaledObject manifest (its scalerAddress is dialled)")
  Path file;

  @Option(names = "--duration", defaultValue = "60", description = "seconds to run (default ${DEFAULT-VALUE})")
  long durationSeconds;

  @Option(names = "--sync-period", defaultValue = "15",
      description = "HPA sync period in seconds, kube-controller-manager's --horizontal-pod-autoscaler-sync-period (default ${DEFAULT-VALUE})")
  int syncPeriodSeconds;

  @Option(names = "--initial-replicas", description = "the target's replicas at the start (default: minReplicaCount)")
  Integer initialReplicas;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScaledObject so;
    try {
      so = ScaledObjectReader.read(file);
      if (durationSeconds < 1 || syncPeriodSeconds < 1) {
        throw new InputException("--duration and --sync-period: expected whole seconds >= 1, got " + durationSeconds + " and " + syncPeriodSeconds);
      }
    } catch (InputException e) {
      err.println("hpa emulate: " + e.getMessage());
      err.flush();
      return ReplayCommand.EXIT_BAD_INPUT;
    }
    ControllerConfig defaults = ControllerConfig.defaults();
    ControllerConfig config = new ControllerConfig(Duration.ofSeconds(syncPeriodSeconds), defaults.downscaleStabilization(),
        defaults.toleranceForm(), defaults.toleranceDown(), defaults.toleranceUp());
    ObjectMapper mapper = new ObjectMapper();
    KedaHpaEmulator.Builder b = KedaHpaEmulator.builder(so).controllerConfig(config).listener(new KedaHpaEmulator.Listener() {
      @Override
      public void onScale(KedaHpaEmulator.ScaleChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", c.at().toEpochMilli());
        m.put("from", c.from());
        m.put("to", c.to());
        m.put("source", c.source());
        m.put("reason", c.reason());
        print(out, mapper, Map.of("scale", m));
      }

      @Override
      public void onSync(KedaHpaEmulator.SyncReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", r.at().toEpochMilli());
        r.result().ifPresent(res -> {
          m.put("currentReplicas", res.currentReplicas());
          m.put("desiredReplicas", res.desiredReplicas());
          m.put("reason", res.reason());
        });
        m.put("values", r.values());
        if (!r.fallbackMetrics().isEmpty()) {
          m.put("fallback", r.fallbackMetrics());
        }
        print(out, mapper, Map.of("sync", m));
      }
    });
    if (initialReplicas != null) {
      b.initialReplicas(initialReplicas);
    }
    try (KedaHpaEmulator emulator = b.build()) {
      emulator.start();
      Thread.sleep(Duration.ofSeconds(durationSeconds).toMillis());
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, ObjectMapper mapper, Object line) {
    try {
      synchronized (out) {
        out.println(mapper.writeValueAsString(line));
        out.flush();
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
