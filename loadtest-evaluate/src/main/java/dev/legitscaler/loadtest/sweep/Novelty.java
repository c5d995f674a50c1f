package dev.legitscaler.loadtest.sweep;

/** How many of a surge's clients were never seen before it. */
public enum Novelty {
  /**
   * Strangers: every bot is a never-seen client; a crowd's extra traffic comes 80 % from never-seen
   * clients.
   */
  NEW("new"),
  /**
   * Mixed: half the bots' traffic comes from known client identities (compromised accounts); half a
   * crowd's extra traffic comes from never-seen clients.
   */
  MIXED("mixed");

  private final String keyword;

  Novelty(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }
}
