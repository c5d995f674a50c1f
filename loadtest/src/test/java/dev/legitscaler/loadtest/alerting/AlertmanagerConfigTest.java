package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertmanagerConfigTest {
  private static final AlertmanagerConfig.Sinks SINKS = new AlertmanagerConfig.Sinks(2525,
      "http://127.0.0.1:1001/chat/ml-platform", "http://127.0.0.1:1002/chat/ml-security", "http://127.0.0.1:1003/pager");

  @TempDir Path tmp;

  private String rewritten() throws Exception {
    String source = Files.readString(RepoRoot.find().resolve("alerting/alertmanager.yml"));
    return AlertmanagerConfig.rewrite(source, tmp.resolve("secrets"), SINKS, TimeScale.of(10));
  }

  @Test
  void everyPlaceholderPointsAtALocalSink() throws Exception {
    String c = rewritten();
    assertThat(c).doesNotContain("https://", "smtp.example.com", "/etc/alertmanager/secrets/", "smtp_require_tls: true");
    assertThat(c).contains("smtp_smarthost: 127.0.0.1:2525", "smtp_require_tls: false",
        "url: http://127.0.0.1:1001/chat/ml-platform", "url: http://127.0.0.1:1002/chat/ml-security",
        "url: http://127.0.0.1:1003/pager",
        "smtp_auth_password_file: " + tmp.resolve("secrets").toAbsolutePath() + "/smtp-password");
  }

  @Test
  void timersAreScaled() throws Exception {
    String c = rewritten();
    // root 30s/5m/4h, ddos 10s/2m/1h, pager 1h, team lead 12h at a time scale of 10
    assertThat(c).contains("group_wait: 3s", "group_interval: 30s", "repeat_interval: 24m",
        "group_wait: 1s", "group_interval: 12s", "repeat_interval: 6m", "repeat_interval: 1h12m");
    assertThat(c).doesNotContain("group_wait: 30s", "repeat_interval: 4h");
  }

  @Test
  void everyMailNamesItsReceiver() throws Exception {
    String c = rewritten();
    for (String receiver : List.of("sysadmin", "teamlead", "ddos")) {
      assertThat(c).contains(AlertmanagerConfig.H_RECEIVER + ": " + receiver);
    }
  }

  @Test
  void theRealAmtoolAcceptsIt() throws Exception {
    Files.createDirectories(tmp.resolve("secrets"));
    for (String s : List.of("smtp-password", "chat-token", "pager-token")) {
      Files.writeString(tmp.resolve("secrets").resolve(s), "x");
    }
    Path file = tmp.resolve("am.yml");
    Files.writeString(file, rewritten());
    Process p = new ProcessBuilder("amtool", "check-config", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aChangedShapeFailsLoudly() {
    assertThatThrownBy(() -> AlertmanagerConfig.rewrite("global:\n  smtp_smarthost: x:1\n", tmp, SINKS, TimeScale.of(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("changed shape");
  }
}
