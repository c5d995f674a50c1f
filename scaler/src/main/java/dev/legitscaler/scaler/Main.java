package dev.legitscaler.scaler;

/** Entry point of legit-scaler.jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("legit-scaler");
  }
}
