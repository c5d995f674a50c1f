/**
 * A real control plane as the source of replica decisions: {@link
 * dev.legitscaler.loadtest.kube.DeploymentFollower} follows a Deployment's {@code spec.replicas} (what the
 * real HPA controller writes) through {@code kubectl}, so a platform can start and stop model servers to
 * match it instead of asking the KEDA + HPA emulator.
 */
package dev.legitscaler.loadtest.kube;
