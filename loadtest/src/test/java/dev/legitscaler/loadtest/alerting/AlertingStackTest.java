package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.platform.GaugeExporter;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import dev.legitscaler.loadtest.platform.PrometheusProcess;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole alerting path with real binaries: the project's rules (scaled), a real Prometheus scraping
 * a saturated and a healthy instance, the real Alertmanager with the project's routing tree, and the
 * local sinks (real SMTP). Time scale 20: the 5-minute warning fires after 15 s, the 20-minute critical
 * after 60 s, so the test takes about 1.5 minutes.
 */
class AlertingStackTest {
  private static final double TIME_SCALE = 20;

  @TempDir Path tmp;

  @Test
  void saturatedInstanceEscalatesFromSysadminToPagerAndHealthyOneStaysQuiet() throws Exception {
    try (ProcessGroup group = new ProcessGroup()) {
      AlertingStack stack = AlertingStack.start(tmp.resolve("alerting"), RepoRoot.find(), TIME_SCALE, group);
      assertThat(stack.ruleFiles()).extracting(p -> p.getFileName().toString()).contains("model.yml", "scaler.yml");

      GaugeExporter gauge = group.add(new GaugeExporter("ml_model_saturation_ratio", "busy fraction"));
      gauge.set("model-0", 0.95);
      gauge.set("model-1", 0.5);
      String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
          + stack.prometheusRuleFilesYaml()
          + stack.prometheusAlertingConfigYaml()
          + "scrape_configs:\n"
          + "  - job_name: model\n"
          + "    honor_labels: true\n"
          + "    static_configs:\n"
          + "      - targets: ['" + gauge.target() + "']\n"
          + "        labels: {namespace: ml}\n";
      group.add(PrometheusProcess.start("prometheus", tmp.resolve("prometheus"), config, Duration.ofSeconds(30)));
      Instant dataFrom = Instant.now();

      // warning (5 m → 15 s): the sysadmin's mail and team chat
      Notification mail = await(stack, "sysadmin e-mail for the warning", Duration.ofSeconds(90), n ->
          n.receiver().equals("sysadmin") && n.channel() == Notification.Channel.EMAIL
              && n.alertname().equals("ModelInstanceSaturated") && n.status() == Notification.Status.FIRING);
      assertThat(mail.severity()).isEqualTo("warning");
      Notification chat = await(stack, "sysadmin webhook for the warning", Duration.ofSeconds(30), n ->
          n.receiver().equals("sysadmin") && n.channel() == Notification.Channel.WEBHOOK
              && n.alertname().equals("ModelInstanceSaturated") && n.status() == Notification.Status.FIRING);
      assertThat(chat.severity()).isEqualTo("warning");
      // not before its scaled 15 s "for" (plus nothing: the data cannot be older than dataFrom)
      assertThat(Duration.between(dataFrom, mail.receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(14));

      // without a scaler target LegitScalerDown fires too (its own group): pick the warning's mail
      MimeMessage first = stack.emails().stream()
          .filter(m -> header(m, "X-Legit-Alertname").equals("ModelInstanceSaturated")).findFirst().orElseThrow();
      assertThat(first.getSubject()).contains("ModelInstanceSaturated");
      assertThat(first.getAllRecipients()).extracting(Object::toString).contains("sysadmin@example.com");
      assertThat(new String(first.getInputStream().readAllBytes())).contains("model-0");

      // critical (20 m → 60 s): the pager
      Notification page = await(stack, "pager webhook for the critical", Duration.ofSeconds(120), n ->
          n.receiver().equals("oncall-pager") && n.alertname().equals("ModelInstanceSaturatedCritical")
              && n.status() == Notification.Status.FIRING);
      assertThat(page.severity()).isEqualTo("critical");
      assertThat(page.channel()).isEqualTo(Notification.Channel.WEBHOOK);

      List<Notification> all = stack.notifications();
      // the pager only ever hears about the critical tier
      assertThat(all).filteredOn(n -> n.receiver().equals("oncall-pager"))
          .isNotEmpty().allMatch(n -> n.severity().equals("critical"));
      assertThat(all).noneMatch(n -> n.alertname().equals("ModelInstanceSaturated") && n.receiver().equals("oncall-pager"));
      assertThat(stack.rejectedWebhooks()).isEmpty();

      // the critical silences the same instance's warning; the 0.5 instance never reached Alertmanager
      List<ActiveAlert> alerts = stack.alerts();
      assertThat(alerts).filteredOn(a -> a.name().equals("ModelInstanceSaturated"))
          .singleElement().satisfies(a -> {
            assertThat(a.label("instance")).isEqualTo("model-0");
            assertThat(a.label("namespace")).isEqualTo("ml");
            assertThat(a.state()).isEqualTo(ActiveAlert.State.SUPPRESSED);
          });
      assertThat(alerts).filteredOn(a -> a.name().equals("ModelInstanceSaturatedCritical"))
          .singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(ActiveAlert.State.ACTIVE));
      assertThat(alerts).noneMatch(a -> a.label("instance").equals("model-1"));
    }
  }

  private static String header(MimeMessage m, String name) {
    try {
      String v = m.getHeader(name, ",");
      return v == null ? "" : v.trim();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Notification await(AlertingStack stack, String what, Duration timeout, Predicate<Notification> p)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Optional<Notification> hit = stack.notifications().stream().filter(p).findFirst();
      if (hit.isPresent()) {
        return hit.get();
      }
      // the healthy instance must never show up, at any point of the run
      assertThat(stack.alerts()).noneMatch(a -> a.label("instance").equals("model-1"));
      Thread.sleep(500);
    }
    throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; received " + stack.notifications()
        + "; rejected webhooks " + stack.rejectedWebhooks() + "; alertmanager log " + stack.alertmanagerLog());
  }
}
