package dev.legitscaler.scaler.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --log-format json}: turns each line the logger writes ({@code TIME LEVEL logger - message},
 * see simplelogger.properties) into one JSON object per line, for log pipelines that index fields.
 * The message's {@code key=value} pairs (our {@code event=...} style) become fields as well. JSON string
 * escaping makes a forged line break in a message impossible by construction.
 */
public final class JsonLogLines extends OutputStream {
  private static final Pattern LINE =
      Pattern.compile("^(\\S+) (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$", Pattern.DOTALL);
  private static final Pattern PAIR = Pattern.compile("(?:^|\\s)([a-z_]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  private final ObjectMapper json = new ObjectMapper();
  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  public JsonLogLines(OutputStream out) {
    this.out = out;
  }

  /** A PrintStream to install as {@code System.err}, where the logger writes. */
  public static PrintStream over(OutputStream out) {
    return new PrintStream(new JsonLogLines(out), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (b == '\n') {
      flushLine();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  private void flushLine() throws IOException {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    out.write(toJson(text).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.flush();
  }

  /** One logger line as a JSON object (a line of another shape, e.g. a stack trace, as its message). */
  public String toJson(String text) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher m = LINE.matcher(text);
    if (m.matches()) {
      fields.put("time", m.group(1));
      fields.put("level", m.group(2));
      fields.put("logger", m.group(3));
      fields.put("message", m.group(4));
      Matcher p = PAIR.matcher(m.group(4));
      while (p.find()) {
        String v = p.group(2);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        fields.putIfAbsent(p.group(1), v);
      }
    } else {
      fields.put("message", text);
    }
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      return "{\"message\":\"unprintable log line\"}";
    }
  }
}
