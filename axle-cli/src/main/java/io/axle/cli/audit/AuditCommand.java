package io.axle.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.cli.client.ServerOptions;
import io.axle.cli.client.TrackingClient;
import io.axle.common.AxleException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code axle audit}: who changed what on the server, newest first (admin only). */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Lists the server's audit log: every state-changing request, refused ones too (admin only).")
public final class AuditCommand implements Callable<Integer> {
    static final String API = "/api/2.0/axle/audit";
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    @Mixin
    ServerOptions server;

    @Option(
            names = "--since",
            description = "Only entries from this time on: a duration back from now (30m, 1h, 7d) or an ISO-8601 "
                    + "instant (2026-11-29T10:00:00Z).")
    String since;

    @Option(names = "--actor", description = "Only the requests of this user ('anonymous' for unsigned ones).")
    String actor;

    @Option(names = "--max-results", description = "At most this many entries (default ${DEFAULT-VALUE}).")
    int maxResults = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> query = new LinkedHashMap<>();
        Optional.ofNullable(since)
                .map(text -> since(text, InstantSource.system()))
                .ifPresent(instant -> query.put("since", Long.toString(instant.toEpochMilli())));
        Optional.ofNullable(actor).ifPresent(name -> query.put("actor", name));
        query.put("max_results", Integer.toString(maxResults));
        try (TrackingClient client = server.client()) {
            JsonNode entries = client.get(API, query).path("entries");
            if (entries.isEmpty()) {
                out.println("No audit entries.");
                return 0;
            }
            out.printf("%-24s  %-20s  %-6s  %-6s  %-28s  %s%n", "TIME", "ACTOR", "METHOD", "STATUS", "TARGET", "PATH");
            for (JsonNode entry : entries) {
                out.printf(
                        "%-24s  %-20s  %-6s  %-6s  %-28s  %s%n",
                        Instant.ofEpochMilli(entry.path("time").asLong()),
                        entry.path("actor").asText(),
                        entry.path("method").asText(),
                        entry.path("status").asText(),
                        entry.path("target").asText("-"),
                        entry.path("path").asText());
            }
            return 0;
        }
    }

    /** {@code 1h} is an hour before {@code clock}'s now; anything else must be an ISO-8601 instant. */
    static Instant since(String text, InstantSource clock) {
        Matcher relative = RELATIVE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration back = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(back);
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw AxleException.invalidParameter("Invalid --since '" + text
                    + "': give a duration back from now (30m, 1h, 7d) or an instant such as 2026-11-29T10:00:00Z.");
        }
    }
}
