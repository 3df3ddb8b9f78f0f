package io.axle.data.cache;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Copy-on-write clones through Linux's {@code FICLONE} ioctl (Btrfs, XFS, bcachefs...). Anywhere it cannot work (not
 * Linux, native access refused, a file system without reflinks) {@link #tryClone} says false and the caller copies.
 */
final class Reflink {
    private static final long FICLONE = 0x40049409L;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY_CREAT_EXCL = 01 | 0100 | 0200;

    private static final Optional<Functions> FUNCTIONS = load();

    private record Functions(MethodHandle open, MethodHandle ioctl, MethodHandle close) {}

    private Reflink() {}

    /** Clones {@code source} into the new file {@code target}; on false, {@code target} does not exist. */
    static boolean tryClone(Path source, Path target) {
        if (FUNCTIONS.isEmpty()) {
            return false;
        }
        Functions functions = FUNCTIONS.get();
        try (Arena arena = Arena.ofConfined()) {
            int in = (int) functions.open.invokeExact(arena.allocateFrom(source.toString()), O_RDONLY, 0);
            if (in < 0) {
                return false;
            }
            try {
                int out = (int)
                        functions.open.invokeExact(arena.allocateFrom(target.toString()), O_WRONLY_CREAT_EXCL, 0644);
                if (out < 0) {
                    return false;
                }
                int result = (int) functions.ioctl.invokeExact(out, FICLONE, in);
                int closed = (int) functions.close.invokeExact(out);
                if (result != 0 || closed != 0) {
                    java.nio.file.Files.deleteIfExists(target);
                    return false;
                }
                return true;
            } finally {
                int ignored = (int) functions.close.invokeExact(in);
            }
        } catch (Throwable e) {
            // reflink is an optimisation: any failure falls back to the next link type
            try {
                java.nio.file.Files.deleteIfExists(target);
            } catch (java.io.IOException ignored) {
                // the caller's own copy will report a file it cannot write
            }
            return false;
        }
    }

    @SuppressWarnings("restricted") // the jar's manifest grants native access; without it, plain copies
    private static Optional<Functions> load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            MethodHandle open = linker.downcallHandle(
                    libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            MethodHandle ioctl = linker.downcallHandle(
                    libc.find("ioctl").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            MethodHandle close = linker.downcallHandle(
                    libc.find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return Optional.of(new Functions(open, ioctl, close));
        } catch (RuntimeException | Error e) {
            // no native access in this JVM: copies instead of reflinks
            return Optional.empty();
        }
    }
}
