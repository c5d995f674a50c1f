package dev.legitscaler.loadtest.replay;

import picocli.CommandLine.Command;

/** {@code loadtest hpa ...}: the HPA controller emulator's tools. */
@Command(
    name = "hpa",
    mixinStandardHelpOptions = true,
    description = "Kubernetes HPA controller emulator (External metrics, KEDA's ScaledObject mapping).",
    subcommands = {ReplayCommand.class, EmulateCommand.class})
public final class HpaCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
