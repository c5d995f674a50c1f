package dev.legitscaler.scaler.signal.prometheus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a load series is named in readings, Explain and {@code /metrics}: its {@code instance} label,
 * else its {@code pod} label, else its compact label set. When two series would get the same name
 * (e.g. one instance exporting two series), both fall back to their full label sets so no name hides
 * another.
 */
final class InstanceNames {
  private InstanceNames() {}

  static String name(Map<String, String> labels) {
    String instance = labels.get("instance");
    if (instance != null && !instance.isEmpty()) {
      return instance;
    }
    String pod = labels.get("pod");
    if (pod != null && !pod.isEmpty()) {
      return pod;
    }
    return compact(labels);
  }

  static List<String> names(List<Map<String, String>> labelSets) {
    List<String> names = new ArrayList<>(labelSets.size());
    Map<String, Integer> counts = new HashMap<>();
    for (Map<String, String> labels : labelSets) {
      String n = name(labels);
      names.add(n);
      counts.merge(n, 1, Integer::sum);
    }
    for (int i = 0; i < names.size(); i++) {
      if (counts.get(names.get(i)) > 1) {
        names.set(i, compact(labelSets.get(i)));
      }
    }
    return names;
  }

  /** PromQL-style {@code {a="1",b="2"}}: every label, sorted by name, values escaped. */
  static String compact(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return sb.append('}').toString();
  }
}
