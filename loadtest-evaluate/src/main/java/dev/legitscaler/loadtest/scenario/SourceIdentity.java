package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which client identities an attack uses. */
public enum SourceIdentity {
  /** Never-seen identities. */
  @JsonProperty("new") NEW,
  /** Identities of known (returning) legitimate clients, e.g. compromised accounts or spoofed ids. */
  @JsonProperty("known") KNOWN
}
