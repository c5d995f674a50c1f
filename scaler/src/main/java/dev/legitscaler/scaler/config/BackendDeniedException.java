package dev.legitscaler.scaler.config;

/**
 * A trigger asked for a backend (by name or address) that the operator did not declare for its
 * namespace. Answered with PERMISSION_DENIED rather than INVALID_ARGUMENT: the value is well formed,
 * the trigger is just not allowed to use it. The message names the key, the value and the values the
 * namespace may use, and never carries a credential.
 */
public final class BackendDeniedException extends ConfigException {
  public BackendDeniedException(String key, String value, String namespace, String allowed) {
    super(key, value, allowed, "metadata key '" + key + "' value '" + value + "' is not a backend namespace '"
        + namespace + "' may use: expected " + allowed
        + " (the operator declares the backends each namespace may use; see docs/security.md)");
  }
}
