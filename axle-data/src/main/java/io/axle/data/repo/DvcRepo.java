package io.axle.data.repo;

import static java.util.Objects.requireNonNull;

import io.axle.data.cache.Cache;
import io.axle.data.cache.CacheLinker;
import io.axle.data.hash.StateCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A DVC repository: the directory holding {@code .dvc/}. Everything else (config, cache, state) is found from here,
 * with DVC's layout, so {@code dvc} and {@code axle data} can work on the same checkout.
 */
public final class DvcRepo {
    public static final String DVC_DIR = ".dvc";

    /** What {@code dvc init} writes to {@code .dvc/.gitignore}. */
    static final String DVC_GITIGNORE = "/config.local\n/tmp\n/cache\n";

    static final String DVCIGNORE = """
            # Add patterns of files dvc should ignore, which could improve
            # the performance. Learn more at
            # https://dvc.org/doc/user-guide/dvcignore
            """;

    private final Path root;

    private DvcRepo(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /** The repository holding {@code start}: the nearest directory at or above it with a {@code .dvc} directory. */
    public static DvcRepo find(Path start) {
        Path directory = start.toAbsolutePath().normalize();
        for (Path candidate = directory; candidate != null; candidate = candidate.getParent()) {
            if (Files.isDirectory(candidate.resolve(DVC_DIR))) {
                return new DvcRepo(candidate);
            }
        }
        throw new DataException(
                DataException.Kind.NOT_A_REPOSITORY,
                "you are not inside of a DVC repository (checked up to mount point '/'); run 'axle data init' first");
    }

    /** Opens {@code root} as a repository without searching. */
    public static DvcRepo at(Path root) {
        if (!Files.isDirectory(root.resolve(DVC_DIR))) {
            throw new DataException(DataException.Kind.NOT_A_REPOSITORY, "'" + root + "' is not a DVC repository");
        }
        return new DvcRepo(root);
    }

    /**
     * {@code dvc init}: {@code .dvc/config}, {@code .dvc/.gitignore} and {@code .dvcignore}, staged in Git. Like DVC, it wants the root
     * of a Git working tree unless {@code noScm}; with {@code force} it re-initialises an existing one.
     */
    public static DvcRepo init(Path directory, boolean noScm, boolean force) {
        Path root = directory.toAbsolutePath().normalize();
        Path dvcDir = root.resolve(DVC_DIR);
        if (Files.exists(dvcDir) && !force) {
            throw DataException.failed("'" + dvcDir + "' exists. Use '-f' to force.");
        }
        if (!noScm && !Files.exists(root.resolve(".git"))) {
            throw DataException.failed("'" + root + "' is not tracked by any supported SCM tool (e.g. Git). Use"
                    + " '--no-scm' if you don't want to use any SCM.");
        }
        try {
            Files.createDirectories(dvcDir);
            if (!Files.exists(dvcDir.resolve("config"))) {
                Files.writeString(dvcDir.resolve("config"), "", StandardCharsets.UTF_8);
            }
            if (!noScm) {
                AtomicFiles.write(dvcDir.resolve(".gitignore"), DVC_GITIGNORE.getBytes(StandardCharsets.UTF_8));
            }
            if (!Files.exists(root.resolve(".dvcignore"))) {
                Files.writeString(root.resolve(".dvcignore"), DVCIGNORE, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!noScm) {
            new GitCli(root)
                    .add(List.of(dvcDir.resolve("config"), dvcDir.resolve(".gitignore"), root.resolve(".dvcignore")));
        }
        return new DvcRepo(root);
    }

    public Path root() {
        return root;
    }

    public Path dvcDir() {
        return root.resolve(DVC_DIR);
    }

    /** {@code .dvc/tmp}: Git-ignored scratch space; DVC keeps its own state here too. */
    public Path tmpDir() {
        return dvcDir().resolve("tmp");
    }

    public Path configPath(ConfigLevel level) {
        return switch (level) {
            case REPO -> dvcDir().resolve("config");
            case LOCAL -> dvcDir().resolve("config.local");
        };
    }

    public RepoConfig config() {
        return new RepoConfig(
                ConfigFile.read(configPath(ConfigLevel.REPO)), ConfigFile.read(configPath(ConfigLevel.LOCAL)));
    }

    /** The cache: {@code cache.dir} (relative to {@code .dvc/}) when set, else {@code .dvc/cache}. */
    public Cache cache() {
        Path directory = config().get("cache", "dir")
                .map(dir -> dvcDir().resolve(dir).normalize())
                .orElse(dvcDir().resolve("cache"));
        return new Cache(directory);
    }

    public CacheLinker linker() {
        return new CacheLinker(config().linkTypes());
    }

    public DvcIgnore ignore() {
        return DvcIgnore.load(root);
    }

    /** The hash state cache for this repository, at {@code .dvc/tmp/axle-state}. */
    public StateCache openState() {
        return StateCache.open(tmpDir().resolve("axle-state"));
    }

    /** The path as DVC prints it: relative to the root with '/'. */
    public String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root)
                ? root.relativize(absolute).toString().replace(java.io.File.separatorChar, '/')
                : absolute.toString();
    }
}
