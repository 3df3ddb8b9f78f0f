package io.axle.cli.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle webhooks redeliver DELIVERY_ID}. */
@Command(
        name = "redeliver",
        mixinStandardHelpOptions = true,
        description = "Sends a delivery again, with the same webhook-id, and a fresh round of attempts.")
final class WebhookRedeliverCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", description = "The delivery's number (see 'axle webhooks deliveries').")
    long deliveryId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            JsonNode delivery = client.post(WebhooksCommand.API + "/deliveries/" + deliveryId + "/redeliver", Map.of())
                    .path("delivery");
            spec.commandLine()
                    .getOut()
                    .println("Delivery " + deliveryId + " ("
                            + delivery.path("webhook_id").asText() + ") is queued again.");
            return 0;
        }
    }
}
