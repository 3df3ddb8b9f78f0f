package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import io.axle.data.cache.LinkType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The config DVC acts on: {@code .dvc/config} with {@code .dvc/config.local} over it (the local file wins key by key).
 */
public record RepoConfig(ConfigFile repo, ConfigFile local) {
    public RepoConfig {
        requireNonNull(repo, "repo is null");
        requireNonNull(local, "local is null");
    }

    public Optional<String> get(String section, String key) {
        return local.get(section, key).or(() -> repo.get(section, key));
    }

    public Optional<String> defaultRemote() {
        return get("core", "remote").filter(name -> !name.isBlank());
    }

    public List<RemoteConfig> remotes() {
        Map<String, Map<String, String>> merged = new LinkedHashMap<>();
        for (ConfigFile file : List.of(repo, local)) {
            for (String section : file.sectionNames()) {
                remoteName(section)
                        .ifPresent(name -> merged.computeIfAbsent(name, key -> new LinkedHashMap<>())
                                .putAll(file.section(section)));
            }
        }
        // a section with no url (config.local overriding a remote that is gone) is not a remote of its own
        return merged.entrySet().stream()
                .filter(entry -> entry.getValue().containsKey("url"))
                .map(entry -> {
                    Map<String, String> options = new LinkedHashMap<>(entry.getValue());
                    String url = options.remove("url");
                    return new RemoteConfig(entry.getKey(), url, options);
                })
                .toList();
    }

    public Optional<RemoteConfig> remote(String name) {
        return remotes().stream().filter(remote -> remote.name().equals(name)).findFirst();
    }

    /** The remote named by {@code core.remote}; a name that matches no remote is a config error, as in DVC. */
    public Optional<RemoteConfig> defaultRemoteConfig() {
        return defaultRemote()
                .map(name -> remote(name)
                        .orElseThrow(() -> DataException.config("default remote '" + name + "' is not configured")));
    }

    /** {@code cache.type}, or DVC's default {@code reflink,copy}. */
    public List<LinkType> linkTypes() {
        return get("cache", "type").map(LinkType::parseList).orElse(LinkType.DEFAULT);
    }

    public static String remoteSection(String name) {
        return "remote \"" + name + "\"";
    }

    static Optional<String> remoteName(String section) {
        if (section.startsWith("remote \"") && section.endsWith("\"") && section.length() > 9) {
            return Optional.of(section.substring(8, section.length() - 1));
        }
        return Optional.empty();
    }
}
