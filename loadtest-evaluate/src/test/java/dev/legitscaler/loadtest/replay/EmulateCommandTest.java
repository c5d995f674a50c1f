package dev.legitscaler.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.gate.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code hpa emulate}: malformed input exits 2 with the reason, before anything is dialled. */
class EmulateCommandTest {
  record Run(int code, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return new Run(cli.execute(args), err.toString());
  }

  @Test
  void missingManifest() {
    Run r = run("hpa", "emulate", "no-such-scaledobject.yaml");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("hpa emulate: ").contains("no-such-scaledobject.yaml");
  }

  @Test
  void zeroDuration() {
    Run r = run("hpa", "emulate", "examples/hpa/scaledobject.yaml", "--duration", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--duration and --sync-period: expected whole seconds >= 1");
  }
}
