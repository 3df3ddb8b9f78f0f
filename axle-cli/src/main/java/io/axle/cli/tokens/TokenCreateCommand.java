package io.axle.cli.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle tokens create [--name N] [--expires-in 30d|never]}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Creates an API token and prints its secret, once: use it as MLFLOW_TRACKING_TOKEN.")
final class TokenCreateCommand implements Callable<Integer> {
    private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d?");

    @Mixin
    ServerOptions server;

    @Option(names = "--name", defaultValue = "cli", description = "What the token is for (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--expires-in",
            defaultValue = "90d",
            paramLabel = "DAYSd|never",
            description = "Lifetime in days, such as 30d, or never (default: ${DEFAULT-VALUE}).")
    String expiresIn;

    @Option(names = "--user", description = "Whose token to make (admins only; default: the signed-in user).")
    String user;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("expires_in_days", days(expiresIn));
        if (user != null) {
            request.put("username", user);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TrackingClient client = server.client()) {
            JsonNode created = client.post(TokensCommand.API, request);
            JsonNode token = created.path("token");
            out.println("Created token " + token.path("id").asText() + " ("
                    + token.path("name").asText() + ") for "
                    + token.path("username").asText() + ", expires "
                    + TokenListCommand.time(token.path("expires_time"), "never"));
            out.println(created.path("secret").asText());
            out.println("Keep this secret now: it will not be shown again.");
            return 0;
        }
    }

    static int days(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("never")) {
            return 0;
        }
        Matcher matcher = DAYS.matcher(trimmed);
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) == 0) {
            throw AxleException.invalidParameter(
                    "Invalid --expires-in '" + text + "': use a number of days such as 30d, or never.");
        }
        return Integer.parseInt(matcher.group(1));
    }
}
