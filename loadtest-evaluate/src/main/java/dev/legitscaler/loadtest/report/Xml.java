package dev.legitscaler.loadtest.report;

import java.util.Locale;

/** Escaping and number formatting for the generated markup (well-formed XML, so it parses as XHTML too). */
final class Xml {
  private Xml() {}

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // control characters are not allowed in XML 1.0
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** Coordinates: one decimal is plenty on a 900-pixel chart and keeps the file small. */
  static String px(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** A human number: integers without decimals, otherwise up to 3 significant decimals. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    double a = Math.abs(v);
    String f = a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
    String s = String.format(Locale.ROOT, f, v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
