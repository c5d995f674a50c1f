package dev.legitscaler.loadtest.alerting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the time-scaled copies of alerting/rules/*.yml. Runs the project's own alerting/scale-time
 * (python3) rather than a re-implementation: the script is the one the alerting tests pin with golden
 * files, so the platform cannot drift from it.
 */
final class RuleScaler {
  private RuleScaler() {}

  static List<Path> scale(Path alertingDir, Path outDir, TimeScale scale) throws IOException {
    List<Path> sources;
    try (Stream<Path> s = Files.list(alertingDir.resolve("rules"))) {
      sources = s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    }
    if (sources.isEmpty()) {
      throw new IOException("no rule files in " + alertingDir.resolve("rules"));
    }
    Files.createDirectories(outDir);
    List<String> cmd = new ArrayList<>(List.of("python3", alertingDir.resolve("scale-time").toString(),
        scale.factorArgument(), "--out-dir", outDir.toString()));
    sources.forEach(p -> cmd.add(p.toString()));
    Path log = outDir.resolve("scale-time.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("alerting/scale-time did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while scaling rules", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("alerting/scale-time failed (exit " + p.exitValue() + "): " + Files.readString(log));
    }
    List<Path> out = new ArrayList<>();
    for (Path src : sources) {
      Path scaled = outDir.resolve(src.getFileName());
      if (!Files.isRegularFile(scaled)) {
        throw new IOException("alerting/scale-time wrote no " + scaled.getFileName());
      }
      out.add(scaled);
    }
    return List.copyOf(out);
  }
}
