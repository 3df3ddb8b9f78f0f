package io.axle.cli.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle webhooks deliveries ID}. */
@Command(
        name = "deliveries",
        mixinStandardHelpOptions = true,
        description = "The latest deliveries to a webhook, newest first, with each attempt.")
final class WebhookDeliveriesCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The webhook's ID (see 'axle webhooks list').")
    String webhookId;

    @Option(names = "--max-results", defaultValue = "20", description = "How many deliveries (default: 20).")
    int maxResults;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode deliveries = client.get(
                            WebhooksCommand.API + "/" + TrackingClient.encodePath(webhookId) + "/deliveries",
                            Map.of("max_results", Integer.toString(maxResults)))
                    .path("deliveries");
            if (deliveries.isEmpty()) {
                out.println("No deliveries yet.");
                return 0;
            }
            for (JsonNode delivery : deliveries) {
                out.printf(
                        "%d  %-9s  %-20s  event %d  %s%n",
                        delivery.path("id").asLong(),
                        delivery.path("status").asText(),
                        delivery.path("event_type").asText(),
                        delivery.path("event_seq").asLong(),
                        delivery.path("webhook_id").asText());
                for (JsonNode attempt : delivery.path("attempt_log")) {
                    out.printf(
                            "    attempt %d  %s  %s  %d ms  %s%n",
                            attempt.path("attempt").asInt(),
                            Instant.ofEpochMilli(
                                    attempt.path("started_timestamp").asLong()),
                            attempt.has("http_status")
                                    ? "HTTP " + attempt.path("http_status").asInt()
                                    : "no answer",
                            attempt.path("latency_millis").asLong(),
                            attempt.has("error")
                                    ? attempt.path("error").asText()
                                    : oneLine(attempt.path("response_snippet").asText()));
                }
            }
            return 0;
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 80) + "...";
    }
}
