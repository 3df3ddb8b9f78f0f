package io.axle.server.db;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Write transactions on the embedded H2 database: one at a time, and acknowledged only once a CHECKPOINT has
 * written them to the database file, so that a killed server ({@code kill -9}) loses nothing it acknowledged.
 *
 * <p>One at a time, because H2 2.5 can keep part of a transaction that was open when its process was killed if
 * other transactions committed meanwhile. The CHECKPOINT runs outside the write lock and covers every commit made
 * before it (group commit): while one writes the file, the next transactions already run.
 */
final class H2Commits {
    private final Jdbi jdbi;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final AtomicLong committed = new AtomicLong();
    private volatile long checkpointed;

    H2Commits(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    <T> T write(Supplier<T> transaction) {
        long ticket;
        T result;
        writeLock.lock();
        try {
            result = transaction.get();
            ticket = committed.incrementAndGet();
        } finally {
            writeLock.unlock();
        }
        awaitCheckpoint(ticket);
        return result;
    }

    private void awaitCheckpoint(long ticket) {
        if (checkpointed >= ticket) {
            return;
        }
        checkpointLock.lock();
        try {
            if (checkpointed >= ticket) {
                return;
            }
            long covered = committed.get();
            jdbi.useHandle(handle -> handle.execute("CHECKPOINT"));
            checkpointed = covered;
        } finally {
            checkpointLock.unlock();
        }
    }
}
