package dev.legitscaler.loadtest.alerting;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server (GreenMail) on loopback that accepts Alertmanager's mails with the configured
 * login only (so the password file is really read), and turns each received mail into a
 * {@link Notification} from the headers the rewritten config adds ({@link AlertmanagerConfig}).
 *
 * <p>GreenMail keeps no arrival time we can read cheaply, so a poller stamps each mail when it first
 * sees it (every 100 ms: close enough for scenario timelines measured in seconds).
 */
final class MailSink implements AutoCloseable {
  private final GreenMail mail;
  private final Clock clock;
  private final ScheduledExecutorService poller;
  private final List<Notification> seen = new ArrayList<>();
  private final List<MimeMessage> messages = new ArrayList<>();
  // GreenMail hands out the stored message objects themselves: identity tells a new mail from a seen one
  private final Set<MimeMessage> recorded = Collections.newSetFromMap(new IdentityHashMap<>());

  MailSink(String user, String password, Clock clock) {
    this.clock = clock;
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    mail.withConfiguration(GreenMailConfiguration.aConfig().withUser(user, user, password));
    mail.start();
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mail-sink-poller");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(this::poll, 100, 100, TimeUnit.MILLISECONDS);
  }

  int port() {
    return mail.getSmtp().getPort();
  }

  private synchronized void poll() {
    // GreenMail lists the mails mailbox by mailbox, not in arrival order: a new mail to an earlier
    // mailbox lands in the middle of the list, so "the ones past the count seen" would be wrong
    for (MimeMessage m : mail.getReceivedMessages()) {
      if (recorded.add(m)) {
        messages.add(m);
        seen.add(toNotification(m));
      }
    }
  }

  private Notification toNotification(MimeMessage m) {
    try {
      String subject = m.getSubject() == null ? "" : m.getSubject();
      String status = header(m, AlertmanagerConfig.H_STATUS);
      if (status.isEmpty()) {
        status = subject.startsWith("[RESOLVED") ? "resolved" : "firing";
      }
      return new Notification(header(m, AlertmanagerConfig.H_RECEIVER), Notification.Channel.EMAIL,
          header(m, AlertmanagerConfig.H_ALERTNAME), header(m, AlertmanagerConfig.H_SEVERITY),
          Notification.Status.parse(status), clock.instant());
    } catch (MessagingException e) {
      return new Notification("", Notification.Channel.EMAIL, "", "", Notification.Status.FIRING, clock.instant());
    }
  }

  private static String header(MimeMessage m, String name) throws MessagingException {
    String v = m.getHeader(name, ",");
    return v == null ? "" : v.trim();
  }

  synchronized List<Notification> received() {
    poll();
    return List.copyOf(seen);
  }

  /** The received mails themselves (subject, recipients, body), in arrival order. */
  synchronized List<MimeMessage> messages() {
    poll();
    return List.copyOf(messages);
  }

  private boolean closed;

  /** Idempotent: the stack and its failure path may both close a sink. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    poller.shutdownNow();
    mail.stop();
  }
}
