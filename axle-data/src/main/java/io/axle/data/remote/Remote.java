package io.axle.data.remote;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.data.cache.Cache;
import io.axle.data.hash.HashName;
import io.axle.data.repo.DataException;
import io.axle.data.repo.DvcRepo;
import io.axle.data.repo.RemoteConfig;
import io.axle.storage.BlobContent;
import io.axle.storage.BlobEntry;
import io.axle.storage.BlobInfo;
import io.axle.storage.BlobKey;
import io.axle.storage.BlobStore;
import io.axle.storage.BlobStores;
import io.axle.storage.LocalBlobStore;
import io.axle.storage.S3BlobStore;
import io.axle.storage.S3Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A DVC remote: DVC 3 objects under {@code files/md5/ab/cdef...}, DVC 2 objects (md5-dos2unix outputs) under {@code
 * ab/cdef...}, in a local directory or an S3 bucket. Every write is a {@link BlobStore#put}, which publishes a key whole
 * or not at all, so a push killed at any point leaves no partial object.
 */
public final class Remote implements AutoCloseable {
    private final String name;
    private final String url;
    private final BlobStore store;
    private final java.util.OptionalInt jobs;

    Remote(String name, String url, BlobStore store, java.util.OptionalInt jobs) {
        this.name = requireNonNull(name, "name is null");
        this.url = requireNonNull(url, "url is null");
        this.store = requireNonNull(store, "store is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
    }

    /**
     * The remote {@code name}, or the default one ({@code core.remote}) when empty. S3 settings come from the remote's
     * section ({@code endpointurl}, {@code region}, {@code access_key_id}, {@code secret_access_key}, {@code
     * session_token}) over {@code environment} ({@code AWS_*}), as DVC reads them.
     */
    public static Remote open(DvcRepo repo, Optional<String> name, Map<String, String> environment) {
        RemoteConfig config = name.map(each -> repo.config()
                        .remote(each)
                        .orElseThrow(() -> DataException.config("remote '" + each + "' doesn't exist.")))
                .or(() -> repo.config().defaultRemoteConfig())
                .orElseThrow(() -> DataException.config("No remote provided and no default remote set.\n"
                        + "Use 'axle data remote add -d NAME URL' to set one, or pass '-r NAME'."));
        return open(repo.dvcDir(), config, environment);
    }

    /** Opens {@code config}; a relative local url is relative to {@code dvcDir}, where the config file lies. */
    public static Remote open(Path dvcDir, RemoteConfig config, Map<String, String> environment) {
        String url = config.url();
        try {
            if (BlobStores.isS3(url)) {
                return new Remote(config.name(), url, S3BlobStore.open(s3Config(config, environment)), config.jobs());
            }
            if (url.contains("://") && !url.toLowerCase(java.util.Locale.ROOT).startsWith("file:")) {
                throw DataException.config("remote '" + config.name() + "': '" + url
                        + "' is not supported; use a local directory or s3://bucket/prefix");
            }
            Path directory = dvcDir.resolve(BlobStores.localPath(url)).normalize();
            Files.createDirectories(directory);
            return new Remote(
                    config.name(),
                    directory.toString(),
                    // as DVC: a killed push leaves no partial object, without an fsync per object
                    LocalBlobStore.open(directory, LocalBlobStore.Durability.RENAMED),
                    config.jobs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (DataException e) {
            throw e;
        } catch (AxleException e) {
            throw DataException.config("remote '" + config.name() + "': " + e.getMessage());
        }
    }

    /** DVC's remote options mapped onto the variables {@link S3Config#fromEnvironment} reads; the config wins. */
    static S3Config s3Config(RemoteConfig config, Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>(environment);
        config.option("endpointurl").ifPresent(endpoint -> {
            // MLflow's variable would win over the remote's own endpoint
            merged.remove("MLFLOW_S3_ENDPOINT_URL");
            merged.remove("AWS_ENDPOINT_URL_S3");
            merged.put("AWS_ENDPOINT_URL", endpoint);
        });
        config.option("region").ifPresent(region -> merged.put("AWS_REGION", region));
        config.option("profile")
                .ifPresent(profile -> profileKeys(profile, environment).forEach(merged::put));
        config.option("access_key_id").ifPresent(key -> merged.put("AWS_ACCESS_KEY_ID", key));
        config.option("secret_access_key").ifPresent(key -> merged.put("AWS_SECRET_ACCESS_KEY", key));
        config.option("session_token").ifPresent(token -> merged.put("AWS_SESSION_TOKEN", token));
        return S3Config.fromEnvironment(config.url(), merged);
    }

    /**
     * The keys of {@code profile} in the shared credentials file ({@code AWS_SHARED_CREDENTIALS_FILE}, else {@code
     * ~/.aws/credentials}), as DVC's {@code profile} option picks them; a profile that is not there is a config error.
     */
    static Map<String, String> profileKeys(String profile, Map<String, String> environment) {
        Path file = Optional.ofNullable(environment.get("AWS_SHARED_CREDENTIALS_FILE"))
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".aws", "credentials"));
        io.axle.data.repo.ConfigFile credentials = io.axle.data.repo.ConfigFile.read(file);
        if (!credentials.hasSection(profile)) {
            throw DataException.config("profile '" + profile + "' is not in '" + file + "'");
        }
        Map<String, String> keys = new HashMap<>();
        credentials.get(profile, "aws_access_key_id").ifPresent(key -> keys.put("AWS_ACCESS_KEY_ID", key));
        credentials.get(profile, "aws_secret_access_key").ifPresent(key -> keys.put("AWS_SECRET_ACCESS_KEY", key));
        credentials.get(profile, "aws_session_token").ifPresent(token -> keys.put("AWS_SESSION_TOKEN", token));
        return keys;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    /** The remote's {@code jobs} option: how many transfers at once when {@code -j} is not given. */
    public java.util.OptionalInt jobs() {
        return jobs;
    }

    /** The key of an object: DVC 3's {@code files/md5/ab/cdef...} or DVC 2's {@code ab/cdef...}. */
    static BlobKey key(HashName hashName, String md5) {
        String relative = md5.substring(0, 2) + "/" + md5.substring(2);
        return switch (hashName) {
            case MD5 -> BlobKey.of("files/md5/" + relative);
            case MD5_DOS2UNIX -> BlobKey.of(relative);
        };
    }

    /** The directory of objects whose hash starts with {@code twoChars}. */
    static BlobKey prefix(HashName hashName, String twoChars) {
        return switch (hashName) {
            case MD5 -> BlobKey.of("files/md5/" + twoChars);
            case MD5_DOS2UNIX -> BlobKey.of(twoChars);
        };
    }

    boolean exists(HashName hashName, String md5) {
        return store.stat(key(hashName, md5)).isPresent();
    }

    /** The object names ({@code md5} or {@code md5.dir}) under one two-character prefix. */
    Set<String> list(HashName hashName, String twoChars) {
        Set<String> names = new HashSet<>();
        for (BlobEntry entry : store.list(prefix(hashName, twoChars))) {
            if (entry instanceof BlobInfo info) {
                names.add(twoChars + info.key().name());
            }
        }
        return names;
    }

    /** Uploads a cache object; the size is given, so S3 and the local store refuse a short read. */
    void upload(Path object, HashName hashName, String md5) {
        try (InputStream in = Files.newInputStream(object)) {
            store.put(key(hashName, md5), in, Files.size(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Downloads an object into the cache, which hashes it on the way and refuses bytes that do not match. */
    void download(Cache cache, HashName hashName, String md5) {
        try (BlobContent content = store.open(key(hashName, md5))) {
            if (hashName == HashName.MD5) {
                cache.saveStream(content.stream(), hashName, md5);
                return;
            }
            downloadLegacy(cache, content.stream(), md5);
        }
    }

    /**
     * A DVC 2 object is named by its md5-dos2unix, which the cache cannot check while it streams: the bytes go to a
     * temporary file first, are checked there, and only then enter the cache.
     */
    private void downloadLegacy(Cache cache, InputStream in, String md5) {
        Path temporary = null;
        try {
            Files.createDirectories(cache.root());
            temporary = Files.createTempFile(cache.root(), "fetch-", ".tmp");
            Files.copy(in, temporary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String actual = io.axle.data.hash.Md5.ofFileDos2Unix(temporary);
            if (!actual.equals(md5.replace(".dir", ""))) {
                throw DataException.failed(
                        "object " + md5 + " arrived with md5-dos2unix " + actual + "; it was not saved");
            }
            try (InputStream checked = Files.newInputStream(temporary)) {
                cache.saveStream(checked, HashName.MD5_DOS2UNIX, md5);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a leftover fetch-*.tmp is never read as an object
                }
            }
        }
    }

    /** A {@code .dir} object read straight from the remote; empty when the remote does not hold it. */
    Optional<io.axle.data.hash.DirManifest> readManifest(HashName hashName, String md5) {
        BlobKey key = key(hashName, md5);
        if (store.stat(key).isEmpty()) {
            return Optional.empty();
        }
        try (BlobContent content = store.open(key)) {
            byte[] bytes = content.stream().readAllBytes();
            if (hashName == HashName.MD5
                    && !io.axle.data.hash.Md5.ofBytes(bytes).equals(md5.replace(".dir", ""))) {
                throw DataException.failed("object " + md5 + " on remote '" + name + "' does not match its md5");
            }
            return Optional.of(io.axle.data.hash.DirManifest.parse(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean delete(HashName hashName, String md5) {
        return store.delete(key(hashName, md5));
    }

    /** Every DVC 3 object name on the remote (for {@code gc -c}): one listing per two-character prefix. */
    Set<String> listAll(HashName hashName) {
        Set<String> names = new HashSet<>();
        BlobKey top = hashName == HashName.MD5 ? BlobKey.of("files/md5") : BlobKey.ROOT;
        for (BlobEntry entry : store.list(top)) {
            String prefix = entry.key().name();
            if (!(entry instanceof BlobInfo) && prefix.matches("[0-9a-f]{2}")) {
                names.addAll(list(hashName, prefix));
            }
        }
        return names;
    }

    @Override
    public void close() {
        store.close();
    }
}
