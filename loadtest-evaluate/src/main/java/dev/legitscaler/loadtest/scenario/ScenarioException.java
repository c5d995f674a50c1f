package dev.legitscaler.loadtest.scenario;

import java.util.List;

/**
 * A scenario file that cannot be used. The message has one line per problem, each
 * {@code file:line:column: path: problem; accepted: form}, so that an editor can jump to it.
 */
public final class ScenarioException extends RuntimeException {

  private final List<String> problems;

  public ScenarioException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
