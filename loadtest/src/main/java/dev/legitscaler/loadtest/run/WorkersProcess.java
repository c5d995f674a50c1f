package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.platform.Java;
import dev.legitscaler.loadtest.platform.ManagedProcess;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** `loadtest workers` in a child JVM: replays the topic's requests to an HTTP model (the --http path). */
final class WorkersProcess {
  private WorkersProcess() {}

  static void start(ProcessGroup pg, Path out, String bootstrap, String topic, String group, String url, int concurrency,
      PrintStream say) throws IOException {
    Path dir = out.resolve("workers").toAbsolutePath();
    Files.createDirectories(dir);
    ManagedProcess w = pg.add(ManagedProcess.start("workers", List.of(Java.executable(),
        "-Xmx256m", "-XX:+UseSerialGC", "-cp", Java.classPath(),
        "dev.legitscaler.loadtest.Main", "workers", "--bootstrap-servers", bootstrap, "--topic", topic, "--group", group,
        "--target-url", url, "--results-topic", "none", "--concurrency", Integer.toString(concurrency),
        "--summary-json", dir.resolve("workers-summary.json").toString()), dir, dir.resolve("workers.log")));
    say.println("run:   workers (consumer group " + group + ") -> " + url + ", log " + w.log());
  }
}
