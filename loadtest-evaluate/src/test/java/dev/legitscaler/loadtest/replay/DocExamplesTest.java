package dev.legitscaler.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.gate.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every example in docs/hpa-replay.md produces exactly the output documented under it. */
class DocExamplesTest {
  /** Tests run in the module folder; the docs and the documented paths are relative to the repository root. */
  static final Path ROOT = Path.of("..");
  static final Path DOC = ROOT.resolve("docs/hpa-replay.md");
  static final Pattern EXAMPLE = Pattern.compile(
      "```sh\\njava -jar loadtest/target/loadtest\\.jar hpa replay (\\S+)(; echo \"exit \\$\\?\")?\\n```\\n```(?:json|text)\\n(.*?)```",
      Pattern.DOTALL);

  record Example(String file, boolean withExit, String output) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<Example> examples() throws IOException {
    String doc = Files.readString(DOC);
    Matcher m = EXAMPLE.matcher(doc);
    List<Example> out = new ArrayList<>();
    while (m.find()) {
      out.add(new Example(m.group(1), m.group(2) != null, m.group(3)));
    }
    return out.stream();
  }

  @Test
  void everyExampleFileIsDocumented() throws IOException {
    List<String> documented = examples().map(Example::file).toList();
    assertThat(documented).hasSizeGreaterThanOrEqualTo(7);
    try (Stream<Path> files = Files.list(ROOT.resolve("loadtest/examples/hpa"))) {
      List<String> jsons = files.map(p -> "loadtest/examples/hpa/" + p.getFileName()).filter(s -> s.endsWith(".json")).sorted().toList();
      assertThat(documented).containsAll(jsons);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void documentedOutput(Example ex) {
    String given = ROOT.resolve(ex.file()).toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("hpa", "replay", given);
    // the documented command names the file from the repository root, the test from the module folder
    String actual = (out.toString() + err.toString()).replace(given, ex.file());
    if (ex.withExit()) {
      actual = actual + "exit " + code + "\n";
    } else {
      assertThat(code).isZero();
    }
    assertThat(actual).isEqualTo(ex.output());
  }
}
