package dev.legitscaler.loadtest.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The checkout's commit, when the command runs inside one (for the run's git tag). */
final class GitCommit {
  private GitCommit() {}

  static Optional<String> current() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
        return Optional.of(out);
      }
    } catch (Exception e) {
      // not a checkout, or no git: the tag is simply absent
    }
    return Optional.empty();
  }
}
