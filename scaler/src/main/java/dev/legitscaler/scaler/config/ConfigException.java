package dev.legitscaler.scaler.config;

/**
 * A metadata key, flag or setting with a value we cannot use. The message always names the key, the
 * value as given and the accepted form, because it ends up verbatim in a KEDA event or a terminal.
 */
public sealed class ConfigException extends RuntimeException permits BackendDeniedException {
  private final String key;
  private final String value;
  private final String acceptedForm;

  public ConfigException(String key, String value, String acceptedForm) {
    super(format(key, value, acceptedForm));
    this.key = key;
    this.value = value;
    this.acceptedForm = acceptedForm;
  }

  /** For subclasses whose message is not the "invalid value" form. */
  protected ConfigException(String key, String value, String acceptedForm, String message) {
    super(message);
    this.key = key;
    this.value = value;
    this.acceptedForm = acceptedForm;
  }

  private static String format(String key, String value, String acceptedForm) {
    if (value == null) {
      return "metadata key '" + key + "' is missing: expected " + acceptedForm;
    }
    return "metadata key '" + key + "' has invalid value '" + value + "': expected " + acceptedForm;
  }

  public String key() {
    return key;
  }

  /** The offending value, or null when the key is missing. */
  public String value() {
    return value;
  }

  public String acceptedForm() {
    return acceptedForm;
  }
}
