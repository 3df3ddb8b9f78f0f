package io.axle.data.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.axle.data.cache.LinkType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
    // dataset-registry@f59388c .dvc/config, as DVC wrote it
    private static final String REGISTRY = """
            [core]
                remote = storage
            ['remote "storage"']
                url = https://remote.dvc.org/dataset-registry
            ['remote "docs/dvc"']
                url = https://remote.dvc.org/docs/dvc
            """;

    @Test
    void dvcsOwnConfigIsReadAndWrittenBackUnchanged() {
        ConfigFile config = ConfigFile.parse(REGISTRY, "config");

        assertThat(config.get("core", "remote")).contains("storage");
        assertThat(config.get("remote \"docs/dvc\"", "url")).contains("https://remote.dvc.org/docs/dvc");
        assertThat(config.render()).isEqualTo(REGISTRY);
    }

    @Test
    void commentsAndQuotedValuesSurviveARoundTrip() {
        String text = """
                # shared settings
                [cache]
                    type = "reflink,copy"
                    # keep it local
                ['remote "s3"']
                    url = s3://bucket/path
                    endpointurl = http://localhost:9000
                    jobs = 8
                """;

        ConfigFile config = ConfigFile.parse(text, "config");

        assertThat(config.get("cache", "type")).contains("reflink,copy");
        assertThat(config.render()).isEqualTo(text);
        assertThat(new RepoConfig(config, new ConfigFile()).linkTypes())
                .containsExactly(LinkType.REFLINK, LinkType.COPY);
    }

    @Test
    void theLocalFileWinsKeyByKey() {
        ConfigFile repo = ConfigFile.parse(REGISTRY, "config");
        ConfigFile local = ConfigFile.parse(
                "['remote \"storage\"']\n    profile = me\n[core]\n    remote = docs/dvc\n", "config.local");

        RepoConfig config = new RepoConfig(repo, local);

        assertThat(config.defaultRemote()).contains("docs/dvc");
        assertThat(config.remote("storage").orElseThrow().option("profile")).contains("me");
        assertThat(config.remotes()).extracting(RemoteConfig::name).isEqualTo(List.of("storage", "docs/dvc"));
        assertThat(new RepoConfig(new ConfigFile(), new ConfigFile()).linkTypes())
                .isEqualTo(LinkType.DEFAULT);
    }

    @Test
    void anUnknownLinkTypeIsAConfigError() {
        ConfigFile repo = ConfigFile.parse("[cache]\n    type = teleport\n", "config");

        assertThatThrownBy(() -> new RepoConfig(repo, new ConfigFile()).linkTypes())
                .isInstanceOfSatisfying(
                        DataException.class, e -> assertThat(e.exitCode()).isEqualTo(251));
    }
}
