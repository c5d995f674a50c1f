package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Line and column of every key and list element of a YAML document, by JSON pointer
 * ({@code /attacks/0/end}). Semantic checks run on the bound records, which have no locations; this map
 * lets their errors point at the file line all the same.
 */
final class SourceLocations {

  /** A 1-based position in the file. */
  record Position(int line, int column) {}

  private final Map<String, Position> byPointer;

  private SourceLocations(Map<String, Position> byPointer) {
    this.byPointer = byPointer;
  }

  static SourceLocations scan(String yaml) {
    Map<String, Position> positions = new HashMap<>();
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      Deque<Container> stack = new ArrayDeque<>();
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        Container top = stack.peek();
        if (token == JsonToken.FIELD_NAME) {
          top.field = p.currentName();
          positions.put(top.pointer + "/" + escape(top.field), position(p.currentTokenLocation()));
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          stack.pop();
          if (!stack.isEmpty() && stack.peek().isArray) {
            stack.peek().index++;
          }
          continue;
        }
        String pointer = top == null ? "" : top.childPointer();
        if (top != null && top.isArray) {
          positions.put(pointer, position(p.currentTokenLocation()));
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          if (top == null) {
            positions.put("", position(p.currentTokenLocation()));
          }
          stack.push(new Container(pointer, token == JsonToken.START_ARRAY));
        } else if (top != null && top.isArray) {
          top.index++;
        }
      }
    } catch (IOException e) {
      // syntax errors are reported by the binding pass, with their own location
    }
    return new SourceLocations(positions);
  }

  /** The position of the pointer, or of its nearest ancestor present in the file. */
  Position find(String pointer) {
    String p = pointer;
    while (true) {
      Position found = byPointer.get(p);
      if (found != null || p.isEmpty()) {
        return found == null ? new Position(1, 1) : found;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  private static Position position(JsonLocation location) {
    return new Position(location.getLineNr(), location.getColumnNr());
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static final class Container {
    final String pointer;
    final boolean isArray;
    String field;
    int index;

    Container(String pointer, boolean isArray) {
      this.pointer = pointer;
      this.isArray = isArray;
    }

    String childPointer() {
      return pointer + "/" + (isArray ? Integer.toString(index) : escape(field));
    }
  }
}
