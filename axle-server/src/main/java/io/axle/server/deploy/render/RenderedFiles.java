package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one render, by path relative to the GitOps repository's root, in path order.
 *
 * @param directory the deployment's directory, {@code <gitops path>/<environment>/<deployment>}; every file is in it
 */
public record RenderedFiles(String directory, SortedMap<String, byte[]> files) {
    public RenderedFiles {
        requireNonNull(directory, "directory is null");
        TreeMap<String, byte[]> copy = new TreeMap<>();
        requireNonNull(files, "files is null").forEach((path, content) -> {
            if (!path.startsWith(directory + "/")
                    || path.substring(directory.length() + 1).contains("/")) {
                throw new IllegalArgumentException(path + " is not a file directly in " + directory);
            }
            copy.put(path, content.clone());
        });
        files = Collections.unmodifiableSortedMap(copy);
    }

    /** A copy: the arrays of a render cannot be changed through it. */
    @Override
    public SortedMap<String, byte[]> files() {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        files.forEach((path, content) -> copy.put(path, content.clone()));
        return copy;
    }

    /** The file's text (UTF-8). */
    public String text(String path) {
        byte[] content = files.get(path);
        if (content == null) {
            throw AxleException.notFound("The render has no file " + path + "; it has " + files.keySet());
        }
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The file names inside {@link #directory()}, sorted. */
    public SortedMap<String, byte[]> byFileName() {
        TreeMap<String, byte[]> byName = new TreeMap<>();
        files.forEach((path, content) -> byName.put(path.substring(directory.length() + 1), content.clone()));
        return byName;
    }

    /** Equal when both renders hold the same paths with byte-identical contents. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RenderedFiles that
                && directory.equals(that.directory)
                && files.keySet().equals(that.files.keySet())
                && files.entrySet().stream()
                        .allMatch(entry -> Arrays.equals(entry.getValue(), that.files.get(entry.getKey())));
    }

    @Override
    public int hashCode() {
        int hash = directory.hashCode();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            hash = 31 * hash + file.getKey().hashCode();
            hash = 31 * hash + Arrays.hashCode(file.getValue());
        }
        return hash;
    }

    /** Paths and sizes; the contents are in {@link #files()}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("RenderedFiles[").append(directory);
        files.forEach((path, content) -> text.append(", ")
                .append(path.substring(directory.length() + 1))
                .append(" (")
                .append(content.length)
                .append(" bytes)"));
        return text.append(']').toString();
    }

    /**
     * Replaces the deployment's directory under {@code root} (a GitOps checkout) with these files: they are written
     * to a temporary sibling directory first and swapped in by renames, so a reader sees the old directory or the new
     * one, and a failed write leaves the old one in place. Files of other deployments are not touched; the
     * environment's {@code kustomization.yaml}, which lists its deployment directories, is written again.
     */
    public void writeTo(Path root) {
        Path target = root.resolve(directory).normalize();
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + name + ".new-");
            try {
                for (Map.Entry<String, byte[]> file : byFileName().entrySet()) {
                    Files.write(staging.resolve(file.getKey()), file.getValue());
                }
                if (Files.exists(target)) {
                    Path old = Files.createTempDirectory(parent, "." + name + ".old-");
                    Files.delete(old);
                    move(target, old);
                    move(staging, target);
                    deleteRecursively(old);
                } else {
                    move(staging, target);
                }
                writeEnvironmentKustomization(parent);
            } finally {
                if (Files.exists(staging)) {
                    deleteRecursively(staging);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AxleException(
                    ErrorCode.IO_ERROR, "Could not write the rendered files to " + target + ": " + e, e);
        }
    }

    /**
     * Lists every deployment directory of the environment in {@code <environment>/kustomization.yaml}, so Argo CD or
     * Flux can also point at a whole environment. Made from what is on disk, so it lists deployments rendered
     * earlier too, and in name order.
     */
    private static void writeEnvironmentKustomization(Path environment) throws IOException {
        List<String> deployments;
        try (Stream<Path> children = Files.list(environment)) {
            deployments = children.filter(
                            child -> !child.getFileName().toString().startsWith("."))
                    .filter(child -> Files.isRegularFile(child.resolve(Renderer.KUSTOMIZATION)))
                    .map(child -> child.getFileName().toString())
                    .sorted()
                    .toList();
        }
        StringBuilder text = new StringBuilder()
                .append("# Rendered by Axle: the deployments of environment ")
                .append(environment.getFileName())
                .append(", one directory each.\n")
                .append("# Do not edit: every render of a deployment in this environment writes this file again.\n")
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\n")
                .append("kind: Kustomization\n")
                .append("resources:\n");
        deployments.forEach(deployment -> text.append("  - ").append(deployment).append('\n'));
        Path staging = Files.createTempFile(environment, "." + Renderer.KUSTOMIZATION, ".new");
        Files.writeString(staging, text);
        Files.move(staging, environment.resolve(Renderer.KUSTOMIZATION), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
