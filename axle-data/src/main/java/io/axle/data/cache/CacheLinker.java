package io.axle.data.cache;

import static java.util.Objects.requireNonNull;

import io.axle.data.repo.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Puts cached objects into the workspace with the first {@code cache.type} that works. The new file is made under a
 * temporary name beside the target and renamed over it, so a killed checkout never leaves half a file at the target.
 */
public final class CacheLinker {
    private final List<LinkType> order;

    public CacheLinker(List<LinkType> order) {
        this.order = List.copyOf(order);
        if (this.order.isEmpty()) {
            throw DataException.config("cache.type lists no link type");
        }
    }

    private final Set<LinkType> unavailable = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<Path> createdDirectories = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public List<LinkType> order() {
        return order;
    }

    /** Links {@code object} to {@code target}, replacing what is there; returns the link type used. */
    public LinkType link(Path object, Path target, boolean executable) {
        requireNonNull(object, "object is null");
        requireNonNull(target, "target is null");
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (!createdDirectories.contains(parent)) {
                Files.createDirectories(parent);
                createdDirectories.add(parent);
            }
            Path temporary = Cache.temporaryFor(target);
            boolean moved = false;
            try {
                for (LinkType type : order) {
                    if (unavailable.contains(type)) {
                        continue;
                    }
                    if (tryLink(type, object, temporary, executable)) {
                        Files.move(
                                temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        moved = true;
                        return type;
                    }
                    if (type != LinkType.COPY) {
                        // a file system without reflinks (or a cache on another device) refuses every file alike:
                        // trying again for each of 100,000 files costs a create and an unlink each
                        unavailable.add(type);
                    }
                }
            } finally {
                if (!moved) {
                    Files.deleteIfExists(temporary);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw DataException.failed("no cache.type of " + order + " could link '" + target + "' (try adding copy)");
    }

    /** Whether {@code path} is a hard or symbolic link into the cache, whose bytes must not be edited in place. */
    public static boolean isLinkedTo(Path path, Path object) {
        try {
            if (Files.isSymbolicLink(path)) {
                return Files.readSymbolicLink(path).equals(object);
            }
            return Files.exists(object) && Files.isSameFile(path, object);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean tryLink(LinkType type, Path object, Path temporary, boolean executable) throws IOException {
        switch (type) {
            case REFLINK -> {
                if (!Reflink.tryClone(object, temporary)) {
                    return false;
                }
                setWritable(temporary, executable);
                return true;
            }
            case HARDLINK -> {
                try {
                    Files.createLink(temporary, object);
                    return true;
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            }
            case SYMLINK -> {
                try {
                    Files.createSymbolicLink(temporary, object);
                    return true;
                } catch (IOException | UnsupportedOperationException e) {
                    return false;
                }
            }
            case COPY -> {
                // a fresh mtime, as DVC and Git give the files they check out; created with the user's permissions
                // (0644, or 0755 for isexec) so no chmod follows, and copied in the kernel where it can
                copyWritable(object, temporary, executable);
                return true;
            }
        }
        return false;
    }

    private static final java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> PLAIN =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    private static final java.nio.file.attribute.FileAttribute<Set<PosixFilePermission>> EXECUTABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    private static void copyWritable(Path object, Path temporary, boolean executable) throws IOException {
        java.nio.channels.FileChannel out;
        Set<java.nio.file.StandardOpenOption> options =
                Set.of(java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        boolean permissionsSet = true;
        try {
            out = java.nio.channels.FileChannel.open(temporary, options, executable ? EXECUTABLE : PLAIN);
        } catch (UnsupportedOperationException e) {
            out = java.nio.channels.FileChannel.open(temporary, options);
            permissionsSet = false;
        }
        try (java.nio.channels.FileChannel target = out;
                java.nio.channels.FileChannel source = java.nio.channels.FileChannel.open(object)) {
            long size = source.size();
            long position = 0;
            while (position < size) {
                position += source.transferTo(position, size - position, target);
            }
        }
        // the umask may have taken bits the user's own file should have (group or others' read): as DVC, accept it;
        // a file system without POSIX permissions gets them set the portable way
        if (!permissionsSet) {
            setWritable(temporary, executable);
        }
    }

    /** A copy is the user's own file: writable, and executable when the out says {@code isexec}. */
    private static void setWritable(Path file, boolean executable) throws IOException {
        try {
            Set<PosixFilePermission> permissions = EnumSet.of(
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ,
                    PosixFilePermission.OTHERS_READ);
            if (executable) {
                permissions.add(PosixFilePermission.OWNER_EXECUTE);
                permissions.add(PosixFilePermission.GROUP_EXECUTE);
                permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            }
            Files.setPosixFilePermissions(file, permissions);
        } catch (UnsupportedOperationException e) {
            file.toFile().setWritable(true);
        }
    }
}
