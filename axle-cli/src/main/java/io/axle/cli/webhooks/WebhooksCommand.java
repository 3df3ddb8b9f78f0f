package io.axle.cli.webhooks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code axle webhooks}: the webhook subscriptions of an Axle server and their deliveries. */
@Command(
        name = "webhooks",
        mixinStandardHelpOptions = true,
        description = "Webhook subscriptions of an Axle server, their delivery log, and redelivery.",
        subcommands = {
            WebhookListCommand.class,
            WebhookCreateCommand.class,
            WebhookDeliveriesCommand.class,
            WebhookRedeliverCommand.class
        })
public final class WebhooksCommand implements Runnable {
    static final String API = "/api/2.0/axle/webhooks";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
