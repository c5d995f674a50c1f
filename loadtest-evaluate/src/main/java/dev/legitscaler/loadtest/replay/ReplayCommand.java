package dev.legitscaler.loadtest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.input.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loadtest hpa replay FILE.json}: one JSON line per step. Exit 0 ok, 2 on malformed input. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replays an HPA (or the HPA KEDA makes from a ScaledObject) over scripted metric values and prints"
        + " one JSON line per step with the desired replicas and the reason. Format and examples: docs/hpa-replay.md.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:replayed", "2:malformed input (the message names the field and the accepted form)"})
public final class ReplayCommand implements Callable<Integer> {
  static final int EXIT_BAD_INPUT = 2;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE.json", description = "replay file")
  Path file;

  @Option(names = "--verbose", description = "also print the HPA conditions, upstream's rescale reason and errors")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Map<String, Object>> lines;
    try {
      lines = Replayer.run(ReplayReader.read(file), verbose);
    } catch (InputException e) {
      err.println("hpa replay: " + e.getMessage());
      err.flush();
      return EXIT_BAD_INPUT;
    }
    ObjectMapper mapper = new ObjectMapper();
    for (Map<String, Object> line : lines) {
      try {
        out.println(mapper.writeValueAsString(line));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    out.flush();
    return 0;
  }
}
