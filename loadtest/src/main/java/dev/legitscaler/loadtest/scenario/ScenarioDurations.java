package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as scenario files write them: {@code 250ms}, {@code 90s}, {@code 5m}, {@code 1h30m}, or seconds. */
public final class ScenarioDurations {

  public static final String ACCEPTED_FORM = "a duration like 250ms, 90s, 5m, 1h30m (or a number of seconds)";

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private ScenarioDurations() {}

  /** Parses a duration; empty when the text is not one. */
  public static Optional<Duration> parse(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (t.matches("\\d+(\\.\\d+)?")) {
      return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(t) * 1e9)));
    }
    Matcher m = PART.matcher(t);
    int position = 0;
    double nanos = 0;
    while (m.find()) {
      if (m.start() != position) {
        return Optional.empty();
      }
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      position = m.end();
    }
    return position == t.length() ? Optional.of(Duration.ofNanos(Math.round(nanos))) : Optional.empty();
  }

  /** Formats a duration in the shortest form {@link #parse} reads back. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /** Jackson deserializer; failures carry the file location and the accepted form. */
  static final class Deserializer extends StdDeserializer<Duration> {
    Deserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        double seconds = p.getDoubleValue();
        if (seconds < 0) {
          return (Duration) ctxt.handleWeirdNumberValue(Duration.class, p.getNumberValue(), ACCEPTED_FORM);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = p.getText();
        Optional<Duration> parsed = parse(text);
        if (parsed.isPresent()) {
          return parsed.get();
        }
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, ACCEPTED_FORM);
      }
      return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
    }
  }
}
