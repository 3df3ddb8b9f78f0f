package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code --watch}: re-resolves an alias or stage every interval and, when it names another version, hands that version
 * to {@code switchTo} (which downloads, loads and swaps it in). The version being served changes only once
 * {@code switchTo} returns; a failure leaves it serving and is tried again on the next poll.
 */
final class VersionWatcher implements AutoCloseable {
    private final String uri;
    private final Function<String, ResolvedModel> resolver;
    private final Consumer<ResolvedModel> switchTo;
    private final Consumer<String> log;
    private final ScheduledExecutorService timer;
    private volatile String servedVersion;

    VersionWatcher(
            String uri,
            String servedVersion,
            Function<String, ResolvedModel> resolver,
            Consumer<ResolvedModel> switchTo,
            Consumer<String> log) {
        this.uri = requireNonNull(uri, "uri is null");
        this.servedVersion = requireNonNull(servedVersion, "servedVersion is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.switchTo = requireNonNull(switchTo, "switchTo is null");
        this.log = requireNonNull(log, "log is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("axle-serve-watch").daemon().factory());
    }

    /** Polls every {@code interval} until closed. */
    void start(Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::pollAndKeepGoing, millis, millis, TimeUnit.MILLISECONDS);
        log.accept("watching " + uri + " every " + interval.toMillis() + " ms (serving version " + servedVersion + ")");
    }

    /** Resolves once; the version switched to, when the URI named a new one and the switch succeeded. */
    Optional<String> poll() {
        ResolvedModel resolved = resolver.apply(uri);
        String version = resolved.version().orElse(servedVersion);
        if (version.equals(servedVersion)) {
            return Optional.empty();
        }
        log.accept(uri + " now names version " + version + " (serving " + servedVersion + "): switching");
        switchTo.accept(resolved);
        String previous = servedVersion;
        servedVersion = version;
        log.accept("now serving " + resolved.describe() + " (was version " + previous + ")");
        return Optional.of(version);
    }

    String servedVersion() {
        return servedVersion;
    }

    private void pollAndKeepGoing() {
        try {
            poll();
        } catch (RuntimeException e) {
            // the watcher's one boundary: a registry outage or a version that fails to load must not stop serving
            log.accept("watch: " + uri + ": " + e.getMessage() + "; still serving version " + servedVersion
                    + ", trying again at the next poll");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
