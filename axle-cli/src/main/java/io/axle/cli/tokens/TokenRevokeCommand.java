package io.axle.cli.tokens;

import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code axle tokens revoke ID}. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API token for good.")
final class TokenRevokeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id, as tokens list shows it.")
    String id;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (TrackingClient client = server.client()) {
            client.post(TokensCommand.API + "/revoke", Map.of("id", id));
        }
        spec.commandLine().getOut().println("Revoked token " + id);
        return 0;
    }
}
