package dev.legitscaler.scaler.testing;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import javax.management.ObjectName;

/**
 * The live objects of this JVM by class, as {@code jcmd GC.class_histogram} prints them (the diagnostic
 * command runs a full GC first, so only reachable objects are counted). Unlike the heap in use, it tells
 * which classes hold memory: a broker or Prometheus client in the same JVM cannot hide or fake a leak of
 * the scaler's own objects.
 */
public record LiveClassHistogram(Map<String, Entry> byClass) {
  public record Entry(long instances, long bytes) {}

  public static LiveClassHistogram take() throws Exception {
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return parse(text);
  }

  /** Parses lines such as {@code "   1:   1234   56789  java.lang.String (java.base@17)"}. */
  static LiveClassHistogram parse(String text) {
    Map<String, Entry> byClass = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[0].endsWith(":")) continue;
      try {
        byClass.merge(f[3], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2])),
            (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
      } catch (NumberFormatException notARow) {
        // header or total line
      }
    }
    return new LiveClassHistogram(Map.copyOf(byClass));
  }

  public long instances(String className) {
    Entry e = byClass.get(className);
    return e == null ? 0 : e.instances();
  }

  /** Shallow bytes of the live instances of every class whose name matches. */
  public long bytes(Predicate<String> className) {
    return byClass.entrySet().stream().filter(e -> className.test(e.getKey()))
        .mapToLong(e -> e.getValue().bytes()).sum();
  }
}
