package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code dvc remote add|modify|list|remove|default}: edits to the remote sections of the config files. */
public final class RemoteSettings {
    /** Options DVC accepts for the remotes Axle serves; others are refused as DVC refuses them (exit 251). */
    static final Set<String> OPTIONS = Set.of(
            "url",
            "endpointurl",
            "region",
            "profile",
            "jobs",
            "credentialpath",
            "configpath",
            "access_key_id",
            "secret_access_key",
            "session_token",
            "use_ssl",
            "ssl_verify",
            "listobjects",
            "acl",
            "grant_read",
            "grant_full_control",
            "sse",
            "sse_kms_key_id",
            "version_aware",
            "worktree",
            "verify",
            "timeout",
            "connect_timeout",
            "read_timeout");

    private final DvcRepo repo;

    public RemoteSettings(DvcRepo repo) {
        this.repo = requireNonNull(repo, "repo is null");
    }

    public void add(String name, String url, boolean makeDefault, boolean force, ConfigLevel level) {
        ConfigFile file = ConfigFile.read(repo.configPath(level));
        String section = RepoConfig.remoteSection(name);
        if (file.hasSection(section) && !force) {
            throw DataException.config("remote '" + name + "' already exists. Use `-f|--force` to overwrite it.");
        }
        file.removeSection(section);
        // set first, so a new [core] comes before the remote, where DVC's own files have it
        if (makeDefault) {
            file.set("core", "remote", name);
        }
        file.set(section, "url", url);
        file.write(repo.configPath(level));
    }

    public void modify(String name, String option, Optional<String> value, ConfigLevel level) {
        if (repo.config().remote(name).isEmpty() && !sectionExists(name)) {
            throw DataException.config("remote '" + name + "' doesn't exist.");
        }
        if (!OPTIONS.contains(option)) {
            throw DataException.config("extra keys not allowed @ data['remote']['" + name + "']['" + option + "']");
        }
        ConfigFile file = ConfigFile.read(repo.configPath(level));
        String section = RepoConfig.remoteSection(name);
        if (value.isPresent()) {
            file.set(section, option, value.get());
        } else if (!file.unset(section, option)) {
            throw DataException.config("option '" + option + "' is not set for remote '" + name + "'");
        }
        file.write(repo.configPath(level));
    }

    /** The remotes of one level, or of both merged when {@code level} is empty. */
    public List<RemoteConfig> list(Optional<ConfigLevel> level) {
        RepoConfig config = repo.config();
        if (level.isEmpty()) {
            return config.remotes();
        }
        ConfigFile file = ConfigFile.read(repo.configPath(level.get()));
        return switch (level.get()) {
            case REPO -> new RepoConfig(file, new ConfigFile()).remotes();
            case LOCAL -> new RepoConfig(new ConfigFile(), file).remotes();
        };
    }

    public void remove(String name, ConfigLevel level) {
        ConfigFile file = ConfigFile.read(repo.configPath(level));
        if (!file.removeSection(RepoConfig.remoteSection(name))) {
            throw DataException.config("remote '" + name + "' doesn't exist.");
        }
        file.write(repo.configPath(level));
        // a default that names the removed remote would break every later push, so it goes too, in both files
        for (ConfigLevel each : ConfigLevel.values()) {
            ConfigFile other = ConfigFile.read(repo.configPath(each));
            if (other.get("core", "remote").filter(name::equals).isPresent()) {
                other.unset("core", "remote");
                other.write(repo.configPath(each));
            }
        }
    }

    public void setDefault(String name, ConfigLevel level) {
        if (repo.config().remote(name).isEmpty()) {
            throw DataException.config("default remote must be present in remote list.");
        }
        ConfigFile file = ConfigFile.read(repo.configPath(level));
        file.set("core", "remote", name);
        file.write(repo.configPath(level));
    }

    public void unsetDefault(ConfigLevel level) {
        ConfigFile file = ConfigFile.read(repo.configPath(level));
        file.unset("core", "remote");
        file.write(repo.configPath(level));
    }

    public Optional<String> defaultRemote(Optional<ConfigLevel> level) {
        return level.isEmpty()
                ? repo.config().defaultRemote()
                : ConfigFile.read(repo.configPath(level.get())).get("core", "remote");
    }

    private boolean sectionExists(String name) {
        String section = RepoConfig.remoteSection(name);
        return ConfigFile.read(repo.configPath(ConfigLevel.REPO)).hasSection(section)
                || ConfigFile.read(repo.configPath(ConfigLevel.LOCAL)).hasSection(section);
    }
}
