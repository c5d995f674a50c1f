package dev.legitscaler.scaler.grpc;

/**
 * The names Kubernetes itself accepts for a namespace (an RFC 1123 label) and an object (an RFC 1123
 * subdomain), checked character by character: this runs on every call, and a regular expression with a
 * repeated group allocated a matcher and its loop state each time.
 */
final class KubernetesNames {
  private KubernetesNames() {}

  /** At most 63 of {@code a-z 0-9 -}, starting and ending with a letter or digit. */
  static boolean isNamespace(String s) {
    int n = s.length();
    return n >= 1 && n <= 63 && isLabel(s, 0, n);
  }

  /**
   * At most 253 characters: labels of {@code a-z 0-9 -} (each starting and ending with a letter or
   * digit) separated by single dots.
   */
  static boolean isName(String s) {
    int n = s.length();
    if (n < 1 || n > 253) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || s.charAt(i) == '.') {
        if (!isLabel(s, start, i)) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  /** {@code s[from, to)} is non-empty {@code a-z 0-9 -} with a letter or digit at both ends. */
  private static boolean isLabel(String s, int from, int to) {
    if (to <= from || !isAlnum(s.charAt(from)) || !isAlnum(s.charAt(to - 1))) {
      return false;
    }
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }
}
