package dev.legitscaler.scaler.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLogLinesTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void eachLoggerLineBecomesOneJsonObjectWithItsFields() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream err = JsonLogLines.over(out);
    err.println("2026-12-02T03:00:00.000Z WARN Watch - event=signal_failed watch=ns/so cause=timeout"
        + " message=\"query to http://p:9090 timed out\"");
    err.println("not a logger line \u001b[31m");
    err.flush();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = json.readTree(lines[0]);
    assertThat(first.get("time").asText()).isEqualTo("2026-12-02T03:00:00.000Z");
    assertThat(first.get("level").asText()).isEqualTo("WARN");
    assertThat(first.get("logger").asText()).isEqualTo("Watch");
    assertThat(first.get("event").asText()).isEqualTo("signal_failed");
    assertThat(first.get("cause").asText()).isEqualTo("timeout");
    assertThat(first.get("message").asText()).startsWith("event=signal_failed");
    assertThat(json.readTree(lines[1]).get("message").asText()).isEqualTo("not a logger line \u001b[31m");
    assertThat(lines[1]).doesNotContain("\u001b");
  }
}
