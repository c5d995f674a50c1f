package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.legitscaler.scaler.config.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Durations as scenario files write them: {@code 250ms}, {@code 90s}, {@code 5m}, {@code 1h30m}, or seconds. */
public final class ScenarioDurations {

  public static final String ACCEPTED_FORM = "a duration like 250ms, 90s, 5m, 1h30m (or a number of seconds)";

  private ScenarioDurations() {}

  /** Parses a duration; empty when the text is not one. Same grammar as the scaler's metadata. */
  public static Optional<Duration> parse(String text) {
    return Durations.parse(text);
  }

  /** Formats a duration in the shortest form {@link #parse} reads back. */
  public static String format(Duration d) {
    return Durations.format(d);
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
