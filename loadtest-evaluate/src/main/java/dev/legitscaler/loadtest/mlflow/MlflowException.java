package dev.legitscaler.loadtest.mlflow;

/** An MLflow call that failed for good (after retries), with MLflow's own error code when it gave one. */
public final class MlflowException extends Exception {
  private final int status;
  private final String errorCode;

  public MlflowException(String message, int status, String errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** MLflow's error_code (e.g. RESOURCE_DOES_NOT_EXIST), or empty. */
  public String errorCode() {
    return errorCode;
  }
}
