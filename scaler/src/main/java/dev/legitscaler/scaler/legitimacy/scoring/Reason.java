package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Locale;

/**
 * Reason codes a window can raise. The first ten are the aggregate signals that vote on an attack;
 * the others describe the state of the scorer. Exported as {@code reason} label values (lowercase).
 */
public enum Reason {
  /** Total rate well above its baseline. Alone it proves nothing: flash crowds do it too. */
  RATE_SURGE(true),
  /** A material share of the traffic comes from clients far above the population's per-client rate. */
  HEAVY_HITTERS(true),
  /** The share of traffic from not-yet-cleared clients is well above its baseline. */
  NEW_CLIENTS(true),
  /** The not-yet-cleared clients, as a class, run far above the population's per-client rate. */
  FAST_NEW_CLIENTS(true),
  /** Source entropy dropped: traffic concentrated on fewer clients than usual. */
  LOW_ENTROPY(true),
  /** Invalid requests above their baseline share. */
  INVALID_REQUESTS(true),
  /**
   * The traffic concentrates on a few network prefixes (IPv4 /24 or /16, IPv6 /48 or /32) well beyond
   * its baseline: a botnet rented from a few networks, where a crowd spreads over many.
   */
  NETWORK_CONCENTRATION(true),
  /** The user-agent, path or TLS-fingerprint distribution moved away from its baseline (or collapsed). */
  ATTRIBUTE_SHIFT(true),
  /** Clients sending at regular intervals (scripted) carry far more of the traffic than usual. */
  PERIODIC_CLIENTS(true),
  /** The model's input features drifted from their reference distribution (PSI above the threshold). */
  PAYLOAD_DRIFT(true),
  /**
   * During an attack, the known (cleared) clients' traffic stays near its baseline while the growth is
   * carried by never-seen clients: the new-client excess counts as suspect even at normal per-client
   * rates (a flash crowd brings returning clients, so their traffic grows too).
   */
  KNOWN_CLIENTS_FLAT(false),
  /** Growth carried by clients at normal per-client rates with nothing else wrong: not an attack. */
  FLASH_CROWD(false),
  /** Baselines are still being learned; no attack is declared yet. */
  WARMING_UP(false),
  /** Too few records in the window to judge; the score stays 1. */
  LOW_TRAFFIC(false);

  private final boolean votes;

  Reason(boolean votes) {
    this.votes = votes;
  }

  /** True for the aggregate signals counted towards an attack declaration. */
  public boolean votes() {
    return votes;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
