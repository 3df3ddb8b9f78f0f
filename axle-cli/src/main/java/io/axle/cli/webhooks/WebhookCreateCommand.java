package io.axle.cli.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code axle webhooks create NAME URL --event ...}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Subscribes an endpoint to registry events, signed per Standard Webhooks.",
            "Without --secret the server generates one and this command prints it, once: keep it to verify "
                    + "signatures. The secret can also come from the environment variable AXLE_WEBHOOK_SECRET."
        })
final class WebhookCreateCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "A name for the subscription.")
    String name;

    @Parameters(index = "1", description = "The endpoint: an http:// or https:// URL.")
    String url;

    @Option(
            names = {"--event", "-e"},
            required = true,
            split = ",",
            description = "Event types to deliver, e.g. ALIAS_SET,ALIAS_MOVED,VERSION_CREATED (repeatable).")
    List<String> events;

    @Option(names = "--description", defaultValue = "", description = "What the subscription is for.")
    String description;

    @Option(
            names = "--secret",
            defaultValue = "${env:AXLE_WEBHOOK_SECRET}",
            description = "The signing secret (whsec_<base64>); default: AXLE_WEBHOOK_SECRET, else generated.")
    String secret;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("url", url);
        request.put("event_types", events);
        request.put("description", description);
        if (secret != null && !secret.isEmpty()) {
            request.put("secret", secret);
        }
        try (TrackingClient client = server.client()) {
            JsonNode created = client.post(WebhooksCommand.API, request);
            out.println("Created webhook " + created.path("webhook").path("id").asText() + " for " + url);
            if (created.hasNonNull("secret")) {
                out.println(
                        "Signing secret (shown once): " + created.path("secret").asText());
            }
            return 0;
        }
    }
}
