package dev.legitscaler.loadtest.alerting;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout root as seen from a test (Maven runs module tests in the module folder). */
final class RepoRoot {
  private RepoRoot() {}

  static Path find() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("alerting/alertmanager.yml"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("no alerting/alertmanager.yml above " + Path.of("").toAbsolutePath());
  }
}
