package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/** A {@code ['remote "name"']} section: its url and every other option as written (endpointurl, region, jobs...). */
public record RemoteConfig(String name, String url, Map<String, String> options) {
    public RemoteConfig {
        requireNonNull(name, "name is null");
        requireNonNull(url, "url is null");
        options = Map.copyOf(options);
    }

    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /** {@code jobs} as a number, if set; a value that is not one is a config error (exit 251). */
    public java.util.OptionalInt jobs() {
        String jobs = options.get("jobs");
        if (jobs == null) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(jobs.strip()));
        } catch (NumberFormatException e) {
            throw DataException.config("remote '" + name + "': jobs '" + jobs + "' is not a number");
        }
    }
}
