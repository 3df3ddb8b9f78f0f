package io.axle.cli.data;

import io.axle.data.hash.Progress;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** Transfer progress ({@code Pushing: 12 files, 3.4 MB}) on one stderr line, only on a terminal. */
final class TransferProgress implements Progress, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final String label;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong(System.nanoTime());
    private volatile boolean drawn;

    private TransferProgress(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    static Progress forConsole(String label) {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new TransferProgress(System.err, label) : Progress.NONE;
    }

    static void finish(Progress progress) {
        if (progress instanceof TransferProgress transfer) {
            transfer.close();
        }
    }

    @Override
    public void bytesHashed(long count) {
        bytes.addAndGet(count);
    }

    @Override
    public void fileDone() {
        files.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDraw.get();
        if (now - last >= REDRAW_NANOS && lastDraw.compareAndSet(last, now)) {
            synchronized (this) {
                err.printf("\r%s: %d files, %.1f MB", label, files.get(), bytes.get() / 1e6);
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
