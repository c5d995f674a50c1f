package dev.legitscaler.loadtest.gate;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of loadtest-evaluate.jar, the jar the Airflow performance gate runs: the sub-commands that
 * need no local platform (no Kafka broker, no SMTP server, no child processes). loadtest.jar registers
 * the same sub-commands ({@link #OFFLINE_COMMANDS}) next to the platform's own, so either jar runs
 * {@code evaluate}.
 */
@Command(
    name = "loadtest-evaluate",
    mixinStandardHelpOptions = true,
    version = "loadtest-evaluate 0.1.0",
    description = "Offline scenario evaluation, KEDA/HPA replay and emulation, reports and MLflow logging for legit-scaler.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** The sub-commands that run without the platform: this jar's, and part of loadtest.jar's. */
  public static final List<Class<?>> OFFLINE_COMMANDS = List.of(
      dev.legitscaler.loadtest.evaluate.EvaluateCommand.class,
      dev.legitscaler.loadtest.sweep.SweepCommand.class,
      dev.legitscaler.loadtest.replay.HpaCommand.class,
      dev.legitscaler.loadtest.report.ReportCommand.class,
      dev.legitscaler.loadtest.mlflow.MlflowLogCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call this to run sub-commands in-process. */
  public static CommandLine commandLine() {
    return withOfflineCommands(new CommandLine(new Main()));
  }

  /** Adds {@link #OFFLINE_COMMANDS} to {@code commandLine}. */
  public static CommandLine withOfflineCommands(CommandLine commandLine) {
    OFFLINE_COMMANDS.forEach(commandLine::addSubcommand);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
