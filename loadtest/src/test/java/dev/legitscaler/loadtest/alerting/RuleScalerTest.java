package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform's rule scaling against the golden files that pin alerting/scale-time. */
class RuleScalerTest {
  @TempDir Path tmp;

  private Path alertingWithInput() throws Exception {
    Path repo = RepoRoot.find().resolve("alerting");
    Path alerting = Files.createDirectories(tmp.resolve("alerting"));
    Files.copy(repo.resolve("scale-time"), alerting.resolve("scale-time"));
    Files.createDirectories(alerting.resolve("rules"));
    Files.copy(repo.resolve("tests/scale-time/input.yml"), alerting.resolve("rules/input.yml"));
    return alerting;
  }

  @Test
  void timeScaleTenMatchesTheGoldenFileOfFactorOneTenth() throws Exception {
    List<Path> out = RuleScaler.scale(alertingWithInput(), tmp.resolve("out"), TimeScale.of(10));
    assertThat(out).hasSize(1);
    assertThat(Files.readString(out.get(0)))
        .isEqualTo(Files.readString(RepoRoot.find().resolve("alerting/tests/scale-time/expected-0.1.yml")));
  }

  @Test
  void timeScaleSevenMatchesTheGoldenFileOfFactorOneSeventh() throws Exception {
    List<Path> out = RuleScaler.scale(alertingWithInput(), tmp.resolve("out"), TimeScale.of(7));
    assertThat(Files.readString(out.get(0)))
        .isEqualTo(Files.readString(RepoRoot.find().resolve("alerting/tests/scale-time/expected-1_7.yml")));
  }

  @Test
  void theProjectRulesScaledStillPassPromtool() throws Exception {
    List<Path> out = RuleScaler.scale(RepoRoot.find().resolve("alerting"), tmp.resolve("rules"), TimeScale.of(20));
    assertThat(out).extracting(p -> p.getFileName().toString()).containsExactly("model.yml", "scaler.yml");
    assertThat(Files.readString(out.get(0))).contains("for: 15s", "for: 1m");
    Process p = new ProcessBuilder("promtool", "check", "rules", out.get(0).toString(), out.get(1).toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(log).isZero();
  }
}
