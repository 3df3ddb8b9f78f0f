package io.axle.cli.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code axle tokens list}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists your API tokens (an admin sees everyone's); never their secrets.")
final class TokenListCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode tokens = client.get(TokensCommand.API, Map.of()).path("tokens");
            if (tokens.isEmpty()) {
                out.println("No tokens.");
                return 0;
            }
            out.printf(
                    "%-12s  %-20s  %-20s  %-8s  %-20s  %s%n", "ID", "USER", "NAME", "STATUS", "EXPIRES", "LAST USED");
            long now = System.currentTimeMillis();
            for (JsonNode token : tokens) {
                out.printf(
                        "%-12s  %-20s  %-20s  %-8s  %-20s  %s%n",
                        token.path("id").asText(),
                        token.path("username").asText(),
                        token.path("name").asText(),
                        status(token, now),
                        time(token.path("expires_time"), "never"),
                        time(token.path("last_used_time"), "-"));
            }
            return 0;
        }
    }

    private static String status(JsonNode token, long now) {
        if (token.hasNonNull("revoked_time")) {
            return "REVOKED";
        }
        return token.hasNonNull("expires_time") && token.path("expires_time").asLong() <= now ? "EXPIRED" : "ACTIVE";
    }

    static String time(JsonNode millis, String absent) {
        return millis.isNumber()
                ? Instant.ofEpochMilli(millis.asLong())
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString()
                : absent;
    }
}
