package dev.legitscaler.loadtest.run;

/**
 * One notification a sink received.
 *
 * @param channel {@code email} or {@code webhook}
 * @param status {@code firing} or {@code resolved}
 * @param at scenario seconds
 */
public record Notification(String receiver, String channel, String alert, String status, double at) {}
