package dev.legitscaler.loadtest.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The sink records every mail exactly once, whichever mailbox it lands in. GreenMail lists received
 * mails mailbox by mailbox, so a new mail to the first mailbox is not at the end of that list: the
 * alerting test once saw the team lead's earlier mail a second time instead of the sysadmin's new one.
 */
class MailSinkTest {
  private static final String USER = "alertmanager@example.com";
  private static final String PASSWORD = "secret";

  @Test
  void aLaterMailToAnEarlierMailboxIsRecordedOnceAndNothingTwice() throws Exception {
    try (MailSink sink = new MailSink(USER, PASSWORD, Clock.systemUTC())) {
      send(sink.port(), "sysadmin@example.com", "sysadmin", "LegitScalerDown");
      send(sink.port(), "teamlead@example.com", "teamlead", "LegitScalerDown");
      assertThat(sink.received()).hasSize(2);

      send(sink.port(), "sysadmin@example.com", "sysadmin", "ModelInstanceSaturated");
      send(sink.port(), "teamlead@example.com", "teamlead", "ModelInstanceSaturatedCritical");
      List<Notification> all = sink.received();

      assertThat(all).extracting(n -> n.receiver() + "/" + n.alertname()).containsExactlyInAnyOrder(
          "sysadmin/LegitScalerDown", "teamlead/LegitScalerDown",
          "sysadmin/ModelInstanceSaturated", "teamlead/ModelInstanceSaturatedCritical");
      assertThat(sink.messages()).hasSize(4);
    }
  }

  private static void send(int port, String to, String receiver, String alertname) throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.auth", "true");
    Session session = Session.getInstance(p);
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(USER));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject("[FIRING:1] " + alertname);
    m.setHeader(AlertmanagerConfig.H_RECEIVER, receiver);
    m.setHeader(AlertmanagerConfig.H_ALERTNAME, alertname);
    m.setHeader(AlertmanagerConfig.H_SEVERITY, "warning");
    m.setHeader(AlertmanagerConfig.H_STATUS, "firing");
    m.setText("body of " + alertname);
    Transport.send(m, USER, PASSWORD);
  }
}
