package io.axle.server.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loop of an outbox subscriber (the webhook dispatcher, the deployer), on a virtual thread: it runs
 * rounds back to back while a round did work, otherwise waits for the poll interval or a {@link #poke()}. A round that
 * fails (the database away for a moment) is logged and tried again at the next poll.
 */
public final class PollingLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PollingLoop.class);

    private final String name;
    private final Duration pollInterval;
    private final Duration stopGrace;
    private final IntSupplier round;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private Thread loop;

    /**
     * @param round one round of work; returns how much it did (0: nothing to do, wait for the next poll)
     * @param stopGrace how long {@link #close()} lets a round in progress finish before interrupting it
     */
    public PollingLoop(String name, Duration pollInterval, Duration stopGrace, IntSupplier round) {
        this.name = requireNonNull(name, "name is null");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        this.stopGrace = requireNonNull(stopGrace, "stopGrace is null");
        this.round = requireNonNull(round, "round is null");
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name(name).start(this::run);
    }

    /** Makes the loop look for work now instead of at its next poll. */
    public void poke() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                if (round.getAsInt() > 0) {
                    continue;
                }
            } catch (RuntimeException e) {
                // the database away for a moment: the next round tries again
                log.warn("{}: a round failed: {}", name, e.toString());
            }
            synchronized (wakeUp) {
                if (!running) {
                    return;
                }
                try {
                    wakeUp.wait(pollInterval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops the loop: a round in progress gets {@code stopGrace} to finish, then is interrupted. */
    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = loop;
            loop = null;
        }
        poke();
        if (stopping != null) {
            try {
                if (!stopping.join(stopGrace)) {
                    stopping.interrupt();
                    stopping.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
