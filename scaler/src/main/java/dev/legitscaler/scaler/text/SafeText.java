package dev.legitscaler.scaler.text;

/**
 * Text from outside the operator's control (an upstream server's answer, a trigger's names) made safe
 * to echo in a log line, an Explain answer or a KEDA event: one line, no terminal escapes, bounded.
 *
 * <p>Control characters (C0, DEL, C1), line and paragraph separators and the bidirectional overrides
 * and isolates are written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, so a
 * forged "second log line" or a reordered display is visible as what it is; the backslash itself is
 * doubled so an escape cannot be forged either.
 */
public final class SafeText {
  /** What Explain and logs show of an upstream answer or error message, in characters. */
  public static final int ECHO_LIMIT = 200;

  private SafeText() {}

  /** {@code s} escaped, then cut to {@code max} characters with a note of how much was left out. */
  public static String bounded(String s, int max) {
    if (s == null) {
      return "";
    }
    String e = escape(s);
    if (e.length() <= max) {
      return e;
    }
    int cut = max;
    if (Character.isHighSurrogate(e.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    return e.substring(0, cut) + "...(" + (e.length() - cut) + " more chars)";
  }

  /** {@code s} with every character that could break or disguise a line escaped; never null. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = replacement(c);
      if (rep == null) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      sb.append(rep);
    }
    return sb == null ? s : sb.toString();
  }

  private static String replacement(char c) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\\':
        return "\\\\";
      default:
        break;
    }
    boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
        || c == '\u061c';
    return unsafe ? String.format("\\u%04x", (int) c) : null;
  }
}
