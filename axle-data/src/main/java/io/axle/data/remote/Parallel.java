package io.axle.data.remote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** A bounded pool for transfers: {@code jobs} threads at most, one task per item, every failure kept. */
final class Parallel {
    private Parallel() {}

    /** Runs {@code task} on every item; returns the items that failed with their exceptions, in input order. */
    static <T> List<Failure<T>> forEach(Collection<T> items, int jobs, Consumer<T> task) {
        if (items.isEmpty()) {
            return List.of();
        }
        int threads = Math.max(1, Math.min(jobs, items.size()));
        List<T> ordered = new ArrayList<>(items);
        List<Future<?>> futures = new ArrayList<>(ordered.size());
        List<Failure<T>> failures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads,
                Thread.ofPlatform().name("axle-transfer-", 0).daemon(true).factory())) {
            for (T item : ordered) {
                futures.add(pool.submit(() -> task.accept(item)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    failures.add(new Failure<>(ordered.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        return failures;
    }

    record Failure<T>(T item, Throwable cause) {}
}
