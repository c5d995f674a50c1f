package dev.legitscaler.loadtest.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON/YAML object node with its path from the document root, so every error can say which field is
 * wrong and what it should look like. Read-only; no state beyond the node.
 */
public record Fields(JsonNode node, String path) {

  public static Fields root(JsonNode node, String what) {
    if (node == null || !node.isObject()) {
      throw new InputException(what + ": expected a JSON/YAML object at the top level");
    }
    return new Fields(node, "");
  }

  public String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** Rejects keys outside {@code allowed}: a misspelt field must not be silently ignored. */
  public Fields allowOnly(Set<String> allowed) {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new InputException(at(k) + ": unknown field; expected one of " + new TreeSet<>(allowed));
      }
    }
    return this;
  }

  public Fields obj(String key) {
    return optObj(key).orElseThrow(() -> new InputException(at(key) + ": required; expected an object"));
  }

  public Optional<Fields> optObj(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isObject()) {
      throw new InputException(at(key) + ": expected an object, got " + describe(v));
    }
    return Optional.of(new Fields(v, at(key)));
  }

  public List<Fields> objects(String key) {
    return optObjects(key).orElseThrow(() -> new InputException(at(key) + ": required; expected a list of objects"));
  }

  public Optional<List<Fields>> optObjects(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isArray()) {
      throw new InputException(at(key) + ": expected a list, got " + describe(v));
    }
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String p = at(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw new InputException(p + ": expected an object, got " + describe(item));
      }
      out.add(new Fields(item, p));
    }
    return Optional.of(out);
  }

  public int integer(String key, int min, int max) {
    return optInteger(key, min, max).orElseThrow(() -> new InputException(at(key) + ": required; expected " + intRange(min, max)));
  }

  private static String intRange(int min, int max) {
    return max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer in " + min + ".." + max;
  }

  public int integer(String key, int min, int max, int dflt) {
    return optInteger(key, min, max).orElse(dflt);
  }

  public Optional<Integer> optInteger(String key, int min, int max) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw new InputException(at(key) + ": expected " + intRange(min, max) + ", got " + describe(v));
    }
    return Optional.of(v.intValue());
  }

  public long seconds(String key, long min) {
    if (!has(key)) {
      throw new InputException(at(key) + ": required; expected a whole number of seconds ≥ " + min);
    }
    JsonNode v = node.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min) {
      throw new InputException(at(key) + ": expected a whole number of seconds ≥ " + min + ", got " + describe(v));
    }
    return v.longValue();
  }

  public String string(String key) {
    return optString(key).orElseThrow(() -> new InputException(at(key) + ": required; expected a string"));
  }

  public Optional<String> optString(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isTextual()) {
      throw new InputException(at(key) + ": expected a string, got " + describe(v));
    }
    return Optional.of(v.textValue());
  }

  public Optional<Boolean> optBoolean(String key) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isBoolean()) {
      throw new InputException(at(key) + ": expected true or false, got " + describe(v));
    }
    return Optional.of(v.booleanValue());
  }

  public Optional<Double> optDouble(String key, double min, double max) {
    if (!has(key)) {
      return Optional.empty();
    }
    JsonNode v = node.get(key);
    if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
      throw new InputException(at(key) + ": expected a number in " + min + ".." + max + ", got " + describe(v));
    }
    return Optional.of(v.doubleValue());
  }

  /** A map whose values must all be strings (Kubernetes' {@code map[string]string}). */
  public Map<String, String> stringMap(String key) {
    if (!has(key)) {
      throw new InputException(at(key) + ": required; expected a map of string to string");
    }
    JsonNode v = node.get(key);
    if (!v.isObject()) {
      throw new InputException(at(key) + ": expected a map of string to string, got " + describe(v));
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new InputException(at(key) + "." + e.getKey() + ": expected a string (quote numbers and booleans in YAML), got " + describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** A decimal number as written (no binary rounding): a JSON number or a numeric string. */
  public static BigDecimal decimal(JsonNode v, String path, String accepted) {
    if (v.isNumber()) {
      return v.decimalValue();
    }
    throw new InputException(path + ": expected " + accepted + ", got " + describe(v));
  }

  public static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "\"" + v.textValue() + "\"";
    }
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.toString();
  }
}
