package dev.legitscaler.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of loadtest.jar: one CLI with sub-commands. Each sub-command lives in its own package
 * and is registered here; the offline ones come from loadtest-evaluate's {@link
 * dev.legitscaler.loadtest.gate.Main#OFFLINE_COMMANDS}.
 */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    version = "loadtest 0.1.0",
    description = "Traffic generator, reference model service, KEDA/HPA emulator and scenario runner for legit-scaler.",
    subcommands = {
      CommandLine.HelpCommand.class,
      dev.legitscaler.loadtest.quickstart.QuickstartCommand.class,
      dev.legitscaler.loadtest.model.ModelServerCommand.class,
      dev.legitscaler.loadtest.generate.GenerateCommand.class,
      dev.legitscaler.loadtest.workers.WorkersCommand.class,
      dev.legitscaler.loadtest.run.RunCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call this to run sub-commands in-process. */
  public static CommandLine commandLine() {
    return dev.legitscaler.loadtest.gate.Main.withOfflineCommands(new CommandLine(new Main()));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
