package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.cli.client.Download;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Model directories downloaded once and kept under {@code --model-cache}, one per registered version
 * ({@code models/<name>/<version>}) or run path ({@code runs/<run id>/<path>}).
 *
 * <p>A download goes into a temporary directory beside the cache entry; every file's SHA-256 is checked against what
 * the server resolved, then a marker ({@value #MARKER}, listing those files and digests) is written and the directory
 * is renamed into place. So an entry exists only complete and verified. A later start trusts an entry whose marker
 * lists the same files and digests the server reports now and whose files have the listed sizes: a stat per file, not
 * a re-hash of gigabytes. A file changed in place without changing its size is not noticed; delete the entry to force
 * a fresh download.
 */
final class ModelCache {
    static final String MARKER = ".axle-verified.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ResolvedModel.ModelFile>> FILE_LIST = new TypeReference<>() {};

    /** Where the bytes of a resolved model's files come from. */
    @FunctionalInterface
    interface ArtifactFiles {
        Download open(ResolvedModel model, ResolvedModel.ModelFile file);
    }

    private final Path root;
    private final ArtifactFiles files;
    private final Consumer<String> log;

    ModelCache(Path root, ArtifactFiles files, Consumer<String> log) {
        this.root = requireNonNull(root, "root is null");
        this.files = requireNonNull(files, "files is null");
        this.log = requireNonNull(log, "log is null");
    }

    /** The directory of a verified copy of {@code model}, downloaded now unless the cache holds one. */
    Path fetch(ResolvedModel model) {
        Path entry = entry(model);
        if (isComplete(entry, model)) {
            log.accept("using the cached copy of " + model.describe() + " in " + entry);
            return entry;
        }
        try {
            Files.createDirectories(entry.getParent());
            Path temporary = entry.resolveSibling("." + entry.getFileName() + ".download-" + UUID.randomUUID());
            try {
                download(model, temporary);
                install(temporary, entry, model);
            } finally {
                deleteTree(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.accept("downloaded " + model.describe() + " (" + model.files().size() + " files, " + model.totalSize()
                + " bytes, SHA-256 verified) into " + entry);
        return entry;
    }

    Path entry(ResolvedModel model) {
        Path entry = root;
        for (String segment : model.cacheKey()) {
            entry = entry.resolve(segmentName(segment));
        }
        return entry;
    }

    private void download(ResolvedModel model, Path temporary) throws IOException {
        Files.createDirectories(temporary);
        for (ResolvedModel.ModelFile file : model.files()) {
            Path target = inside(temporary, file.path());
            Files.createDirectories(target.getParent());
            MessageDigest digest = sha256();
            try (Download download = files.open(model, file);
                    OutputStream output = new DigestOutputStream(Files.newOutputStream(target), digest)) {
                download.content().transferTo(output);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(file.sha256())) {
                throw new AxleException(
                        ErrorCode.IO_ERROR,
                        "Downloaded " + file.path() + " of " + model.describe() + " has SHA-256 " + actual
                                + ", but the server recorded " + file.sha256() + "; nothing was cached. The copy on "
                                + "the server is damaged or was changed after registration.");
            }
        }
        JSON.writeValue(temporary.resolve(MARKER).toFile(), model.files());
    }

    private void install(Path temporary, Path entry, ResolvedModel model) throws IOException {
        if (Files.exists(entry)) {
            // an incomplete or outdated entry: what resolve reports now wins
            Path stale = entry.resolveSibling("." + entry.getFileName() + ".stale-" + UUID.randomUUID());
            Files.move(entry, stale, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(stale);
        }
        try {
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another axle serve installed the same version meanwhile; its copy is as good as ours
            if (!isComplete(entry, model)) {
                throw e;
            }
        }
    }

    private static boolean isComplete(Path entry, ResolvedModel model) {
        Path marker = entry.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            List<ResolvedModel.ModelFile> verified = JSON.readValue(marker.toFile(), FILE_LIST);
            if (!sorted(verified).equals(sorted(model.files()))) {
                return false;
            }
            for (ResolvedModel.ModelFile file : model.files()) {
                Path path = inside(entry, file.path());
                if (!Files.isRegularFile(path) || Files.size(path) != file.size()) {
                    return false;
                }
            }
            return true;
        } catch (JacksonException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ResolvedModel.ModelFile> sorted(List<ResolvedModel.ModelFile> files) {
        return files.stream()
                .sorted(Comparator.comparing(ResolvedModel.ModelFile::path))
                .toList();
    }

    /** {@code path} below {@code directory}; a server that names a file outside it is refused. */
    private static Path inside(Path directory, String path) {
        Path resolved = directory.resolve(path).normalize();
        if (path.isEmpty() || path.startsWith("/") || !resolved.startsWith(directory) || resolved.equals(directory)) {
            throw new AxleException(
                    ErrorCode.INVALID_STATE,
                    "The server named a model file '" + path + "' outside the model directory");
        }
        return resolved;
    }

    /** One directory name per key part: a model named {@code a/b} or {@code ..} stays one level. */
    private static String segmentName(String segment) {
        String encoded = URLEncoder.encode(segment, StandardCharsets.UTF_8);
        return encoded.equals(".") || encoded.equals("..") || encoded.isEmpty()
                ? "%2E" + encoded.substring(Math.min(1, encoded.length()))
                : encoded;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** Where models are kept when neither {@code --model-cache} nor {@code AXLE_MODEL_CACHE} says. */
    static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "axle", "models");
    }
}
