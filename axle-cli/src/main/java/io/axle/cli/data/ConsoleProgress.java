package io.axle.cli.data;

import io.axle.data.hash.Progress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Hashing progress on one stderr line, redrawn at most five times a second; only on a terminal. */
final class ConsoleProgress implements Progress, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong(System.nanoTime());
    private volatile boolean drawn;

    private ConsoleProgress(PrintStream err) {
        this.err = err;
    }

    /** A progress line when stderr is a terminal, else nothing. */
    static Progress forConsole() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new ConsoleProgress(System.err) : Progress.NONE;
    }

    static void finish(Progress progress) {
        if (progress instanceof ConsoleProgress console) {
            console.close();
        }
    }

    @Override
    public void bytesHashed(long count) {
        bytes.addAndGet(count);
        maybeDraw();
    }

    @Override
    public void fileDone() {
        files.incrementAndGet();
        maybeDraw();
    }

    private void maybeDraw() {
        long now = System.nanoTime();
        long last = lastDraw.get();
        if (now - last >= REDRAW_NANOS && lastDraw.compareAndSet(last, now)) {
            synchronized (this) {
                err.printf("\rHashing: %d files, %.1f MB", files.get(), bytes.get() / 1e6);
                err.flush();
                drawn = true;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
