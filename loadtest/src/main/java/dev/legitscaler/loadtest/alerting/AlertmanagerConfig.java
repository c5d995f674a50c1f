package dev.legitscaler.loadtest.alerting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns alerting/alertmanager.yml into the local platform's copy, textually, the way
 * alerting/tests/amsinks.py {@code rewrite()} does: every placeholder of alerting/README.md
 * ("Placeholders") is replaced by a local sink, secrets point into a local folder, and the grouping
 * timers run at the run's time scale. Each replacement must match exactly as often as the file has
 * that placeholder, so a change of the file's shape fails loudly instead of leaving a receiver pointed
 * at example.com.
 *
 * <p>E-mail receivers additionally get {@code headers} naming the receiver, alert, severity and status:
 * the sysadmin and ddos receivers share one address, so the recipient alone cannot tell which route a
 * mail came through. Alertmanager keeps its default Subject/To/From next to extra headers.
 */
public final class AlertmanagerConfig {
  /** Mail headers the rewritten config adds to every e-mail (Alertmanager title-cases header names). */
  static final String H_RECEIVER = "X-Legit-Receiver";
  static final String H_ALERTNAME = "X-Legit-Alertname";
  static final String H_SEVERITY = "X-Legit-Severity";
  static final String H_STATUS = "X-Legit-Status";

  /** Where the local sinks listen. */
  public record Sinks(int smtpPort, String chatPlatformUrl, String chatSecurityUrl, String pagerUrl) {}

  private AlertmanagerConfig() {}

  public static String rewrite(String text, Path secretsDir, Sinks sinks, TimeScale scale) {
    String secrets = secretsDir.toAbsolutePath().toString().replace('\\', '/');
    if (!secrets.endsWith("/")) {
      secrets += "/";
    }
    text = replace(text, "smtp_smarthost: \\S+", m -> "smtp_smarthost: 127.0.0.1:" + sinks.smtpPort(), 1);
    // the local SMTP server offers no STARTTLS
    text = replace(text, "smtp_require_tls: true", m -> "smtp_require_tls: false", 1);
    text = replace(text, "https://chat\\.example\\.com/hooks/ml-platform", m -> sinks.chatPlatformUrl(), 1);
    text = replace(text, "https://chat\\.example\\.com/hooks/ml-security", m -> sinks.chatSecurityUrl(), 1);
    text = replace(text, "https://pager\\.example\\.com/integrations/alertmanager/ml-platform", m -> sinks.pagerUrl(), 1);
    String secretsPrefix = secrets;
    text = replace(text, "/etc/alertmanager/secrets/", m -> secretsPrefix, 3);
    // grouping timers: root + ddos route set group_wait/group_interval; root, pager, team lead and ddos
    // set repeat_interval
    text = replace(text, "(group_wait|group_interval|repeat_interval): (\\S+)",
        m -> m.group(1) + ": " + scale.scale(m.group(2)), 8);
    return addMailHeaders(text);
  }

  private static String replace(String text, String regex, Function<Matcher, String> replacement, int expected) {
    Matcher m = Pattern.compile(regex).matcher(text);
    StringBuilder sb = new StringBuilder();
    int n = 0;
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement.apply(m)));
      n++;
    }
    m.appendTail(sb);
    if (n != expected) {
      throw new IllegalStateException("alertmanager.yml changed shape: '" + regex + "' found " + n
          + " times, expected " + expected + "; update " + AlertmanagerConfig.class.getSimpleName()
          + " and alerting/README.md (Placeholders)");
    }
    return sb.toString();
  }

  private static final Pattern RECEIVER_NAME = Pattern.compile("^\\s*- name: (\\S+)\\s*$");
  private static final Pattern EMAIL_TO = Pattern.compile("^(\\s*)- to: .*$");

  private static String addMailHeaders(String text) {
    List<String> out = new ArrayList<>();
    boolean inReceivers = false;
    String receiver = null;
    int added = 0;
    for (String line : text.split("\n", -1)) {
      out.add(line);
      if (line.startsWith("receivers:")) {
        inReceivers = true;
        continue;
      }
      if (!inReceivers) {
        continue;
      }
      Matcher name = RECEIVER_NAME.matcher(line);
      if (name.matches()) {
        receiver = name.group(1);
        continue;
      }
      Matcher to = EMAIL_TO.matcher(line);
      if (to.matches() && receiver != null) {
        String indent = " ".repeat(to.group(1).length() + 2);
        out.add(indent + "headers:");
        out.add(indent + "  " + H_RECEIVER + ": " + receiver);
        out.add(indent + "  " + H_ALERTNAME + ": '{{ .GroupLabels.alertname }}'");
        out.add(indent + "  " + H_SEVERITY + ": '{{ .CommonLabels.severity }}'");
        out.add(indent + "  " + H_STATUS + ": '{{ .Status }}'");
        added++;
      }
    }
    if (added != 3) {
      throw new IllegalStateException("alertmanager.yml changed shape: expected 3 e-mail receivers, found " + added);
    }
    return String.join("\n", out);
  }
}
