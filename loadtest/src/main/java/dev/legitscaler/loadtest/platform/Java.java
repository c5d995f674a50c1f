package dev.legitscaler.loadtest.platform;

import java.nio.file.Path;

/** Where the running JVM lives and what is on its class path, to start child JVMs like ourselves. */
public final class Java {
  private Java() {}

  public static String executable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Our class path with absolute entries, so a child started in another folder finds it too. */
  public static String classPath() {
    return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
