package io.axle.cli.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code axle webhooks list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the webhook subscriptions.")
final class WebhookListCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode webhooks = client.get(WebhooksCommand.API, Map.of()).path("webhooks");
            if (webhooks.isEmpty()) {
                out.println("No webhooks.");
                return 0;
            }
            out.printf("%-32s  %-8s  %-6s  %-20s  %s%n", "ID", "STATUS", "API", "NAME", "URL  EVENTS");
            for (JsonNode webhook : webhooks) {
                List<String> types = new ArrayList<>();
                webhook.path("event_types").forEach(type -> types.add(type.asText()));
                out.printf(
                        "%-32s  %-8s  %-6s  %-20s  %s  %s%n",
                        webhook.path("id").asText(),
                        webhook.path("status").asText(),
                        webhook.path("flavor").asText().toLowerCase(java.util.Locale.ROOT),
                        webhook.path("name").asText(),
                        webhook.path("url").asText(),
                        String.join(",", types));
            }
            return 0;
        }
    }
}
