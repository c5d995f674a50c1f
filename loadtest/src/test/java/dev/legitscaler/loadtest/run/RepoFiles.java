package dev.legitscaler.loadtest.run;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root, found upwards from the test's working folder (loadtest/ under Maven). */
final class RepoFiles {
  private RepoFiles() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("manifests/examples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
