package dev.legitscaler.loadtest.workers;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of one workers process.
 *
 * @param resultsTopic where one result per request goes, or null for none
 * @param concurrency requests in flight at most
 * @param maxRecords stop after this many records (0 = no limit)
 * @param idleExit stop after no record arrived for this long once at least one did (null = never)
 */
public record WorkersConfig(
    String bootstrapServers,
    String topic,
    String groupId,
    URI targetUrl,
    String resultsTopic,
    int concurrency,
    Duration requestTimeout,
    Duration connectTimeout,
    long maxRecords,
    Duration idleExit,
    String instanceName) {}
