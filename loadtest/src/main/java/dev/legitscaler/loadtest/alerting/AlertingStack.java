package dev.legitscaler.loadtest.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.platform.FreePorts;
import dev.legitscaler.loadtest.platform.ManagedProcess;
import dev.legitscaler.loadtest.platform.ProcessGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The alerting half of the local platform: the project's own rule files, time-scaled; a real
 * Alertmanager ({@code prometheus-alertmanager}) running the project's routing tree with every receiver
 * redirected to local sinks; and those sinks — one webhook endpoint per webhook URL (team chat =
 * escalation level 1, pager = level 2, security chat = DDoS route) and a real SMTP server for the
 * e-mail receivers — recording every notification. See docs/platform-alerting.md.
 *
 * <p>Prometheus is not part of this: load {@link #ruleFiles()} and {@link #prometheusAlertingConfigYaml()}
 * into the platform's Prometheus.
 */
public final class AlertingStack implements AutoCloseable {
  /** The Debian package's binary name. */
  public static final String DEFAULT_ALERTMANAGER_BINARY = "prometheus-alertmanager";

  /** SMTP login of the rewritten config (alerting/alertmanager.yml's smtp_auth_username placeholder). */
  static final String SMTP_USER = "alertmanager@example.com";

  private final TimeScale scale;
  private final List<Path> ruleFiles;
  private final Path alertmanagerConfig;
  private final ManagedProcess alertmanager;
  private final int port;
  private final MailSink mail;
  private final List<WebhookSink> webhooks;
  private final ObjectMapper json;
  private final HttpClient http;
  private boolean closed;

  private AlertingStack(TimeScale scale, List<Path> ruleFiles, Path alertmanagerConfig,
      ManagedProcess alertmanager, int port, MailSink mail, List<WebhookSink> webhooks, ObjectMapper json,
      HttpClient http) {
    this.scale = scale;
    this.ruleFiles = ruleFiles;
    this.alertmanagerConfig = alertmanagerConfig;
    this.alertmanager = alertmanager;
    this.port = port;
    this.mail = mail;
    this.webhooks = webhooks;
    this.json = json;
    this.http = http;
  }

  /**
   * Starts the stack and waits until Alertmanager is ready. The stack is added to {@code group}, so it
   * stops with the platform (closing it yourself as well is harmless).
   *
   * @param workDir   folder for the scaled rules, the config, secrets, Alertmanager's data and log
   * @param repoRoot  the checkout holding alerting/ (rules, alertmanager.yml, scale-time)
   * @param timeScale scenario seconds per wall-clock second (10: a 5-minute {@code for} lasts 30 s)
   * @param group     the platform's process group
   */
  public static AlertingStack start(Path workDir, Path repoRoot, double timeScale, ProcessGroup group)
      throws IOException {
    return start(workDir, repoRoot, timeScale, group, DEFAULT_ALERTMANAGER_BINARY);
  }

  /** As {@link #start(Path, Path, double, ProcessGroup)} with another Alertmanager executable. */
  public static AlertingStack start(Path workDir, Path repoRoot, double timeScale, ProcessGroup group,
      String alertmanagerBinary) throws IOException {
    TimeScale scale = TimeScale.of(timeScale);
    workDir = workDir.toAbsolutePath();
    Path alerting = repoRoot.toAbsolutePath().resolve("alerting");
    Files.createDirectories(workDir);

    List<Path> rules = RuleScaler.scale(alerting, workDir.resolve("rules"), scale);

    Map<String, String> secrets = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (String name : List.of("smtp-password", "chat-token", "pager-token")) {
      byte[] b = new byte[12];
      random.nextBytes(b);
      secrets.put(name, name + "-" + HexFormat.of().formatHex(b));
    }
    Path secretsDir = workDir.resolve("secrets");
    writeSecrets(secretsDir, secrets);

    Clock clock = Clock.systemUTC();
    ObjectMapper json = new ObjectMapper();
    List<AutoCloseable> started = new ArrayList<>();
    try {
      MailSink mail = new MailSink(SMTP_USER, secrets.get("smtp-password"), clock);
      started.add(mail);
      WebhookSink chatPlatform = new WebhookSink("/chat/ml-platform", secrets.get("chat-token"), json, clock);
      started.add(chatPlatform);
      WebhookSink pager = new WebhookSink("/pager", secrets.get("pager-token"), json, clock);
      started.add(pager);
      WebhookSink chatSecurity = new WebhookSink("/chat/ml-security", secrets.get("chat-token"), json, clock);
      started.add(chatSecurity);

      String source = Files.readString(alerting.resolve("alertmanager.yml"));
      String config = AlertmanagerConfig.rewrite(source, secretsDir,
          new AlertmanagerConfig.Sinks(mail.port(), chatPlatform.url(), chatSecurity.url(), pager.url()), scale);
      Path configFile = workDir.resolve("alertmanager.yml");
      Files.writeString(configFile, config);

      int port = FreePorts.next();
      Path data = workDir.resolve("alertmanager-data");
      Files.createDirectories(data);
      ManagedProcess am;
      try {
        am = ManagedProcess.start("alertmanager", List.of(alertmanagerBinary,
            "--config.file=" + configFile,
            "--storage.path=" + data,
            "--web.listen-address=127.0.0.1:" + port,
            // empty: no gossip cluster (otherwise it binds all interfaces and waits for peers)
            "--cluster.listen-address=",
            "--log.level=info"), workDir, workDir.resolve("alertmanager.log"));
      } catch (IOException e) {
        throw new IOException("cannot start '" + alertmanagerBinary
            + "' (install the Debian package prometheus-alertmanager): " + e.getMessage(), e);
      }
      started.add(am);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      AlertingStack stack = new AlertingStack(scale, rules, configFile, am, port, mail,
          List.of(chatPlatform, pager, chatSecurity), json, http);
      am.awaitReady(stack::ready, Duration.ofSeconds(30));
      group.add(stack);
      return stack;
    } catch (IOException | RuntimeException e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void writeSecrets(Path dir, Map<String, String> secrets) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> s : secrets.entrySet()) {
      // Alertmanager 0.25 sends the SMTP password file verbatim (no trailing newline there) and trims
      // the bearer token files: write them as a mounted Secret would look (alerting/README.md)
      String content = s.getKey().equals("smtp-password") ? s.getValue() : s.getValue() + "\n";
      Files.writeString(dir.resolve(s.getKey()), content);
    }
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(alertmanagerUrl() + "/-/ready"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The time-scaled copies of alerting/rules/*.yml, for Prometheus' {@code rule_files}. */
  public List<Path> ruleFiles() {
    return ruleFiles;
  }

  /** Alertmanager's base URL ({@code http://127.0.0.1:PORT}). */
  public String alertmanagerUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The {@code host:port} Prometheus' alerting config targets. */
  public String alertmanagerTarget() {
    return "127.0.0.1:" + port;
  }

  /** The generated Alertmanager configuration file. */
  public Path alertmanagerConfig() {
    return alertmanagerConfig;
  }

  /** Alertmanager's log file, for diagnostics. */
  public Path alertmanagerLog() {
    return alertmanager.log();
  }

  /** The run's time scale (the same one the rules and timers were scaled with). */
  public TimeScale timeScale() {
    return scale;
  }

  /**
   * The top-level {@code alerting:} block of a Prometheus config pointing at this Alertmanager (paste it
   * as is; ends with a newline).
   */
  public String prometheusAlertingConfigYaml() {
    return "alerting:\n"
        + "  alertmanagers:\n"
        + "    - api_version: v2\n"
        + "      static_configs:\n"
        + "        - targets: ['" + alertmanagerTarget() + "']\n";
  }

  /** The top-level {@code rule_files:} block listing {@link #ruleFiles()} (ends with a newline). */
  public String prometheusRuleFilesYaml() {
    StringBuilder sb = new StringBuilder("rule_files:\n");
    for (Path p : ruleFiles) {
      sb.append("  - '").append(p.toAbsolutePath().toString().replace("'", "''")).append("'\n");
    }
    return sb.toString();
  }

  /** Every notification received so far, by every sink, in arrival order. */
  public List<Notification> notifications() {
    List<Notification> all = new ArrayList<>(mail.received());
    for (WebhookSink w : webhooks) {
      all.addAll(w.received());
    }
    all.sort(Comparator.comparing(Notification::receivedAt));
    return List.copyOf(all);
  }

  /** The e-mails received so far (subject, recipients, body), in arrival order. */
  public List<jakarta.mail.internet.MimeMessage> emails() {
    return mail.messages();
  }

  /** Webhook requests the sinks refused (wrong bearer token, unparsable payload); empty when all is well. */
  public List<String> rejectedWebhooks() {
    return webhooks.stream().flatMap(w -> w.rejected().stream()).toList();
  }

  /** The alerts Alertmanager holds now ({@code GET /api/v2/alerts}), active, suppressed or unprocessed. */
  public List<ActiveAlert> alerts() {
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(alertmanagerUrl() + "/api/v2/alerts"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IOException("HTTP " + r.statusCode());
      }
      List<ActiveAlert> out = new ArrayList<>();
      for (JsonNode a : json.readTree(r.body())) {
        Map<String, String> labels = new LinkedHashMap<>();
        a.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        String startsAt = a.path("startsAt").asText("");
        out.add(new ActiveAlert(labels.getOrDefault("alertname", ""), labels,
            ActiveAlert.State.parse(a.path("status").path("state").asText("")),
            startsAt.isEmpty() ? Instant.EPOCH : Instant.parse(startsAt)));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + alertmanagerUrl() + "/api/v2/alerts", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    alertmanager.stop(Duration.ofSeconds(10));
    // sinks last: Alertmanager may still be sending while it shuts down
    Stream.concat(webhooks.stream(), Stream.of(mail)).forEach(s -> {
      try {
        s.close();
      } catch (Exception e) {
        System.err.println("alerting: closing " + s + " failed: " + e);
      }
    });
  }
}
