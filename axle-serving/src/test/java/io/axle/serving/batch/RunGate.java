package io.axle.serving.batch;

import java.util.concurrent.CountDownLatch;

/** Holds model runs until opened, so a test decides what is queued while a run is in progress. */
final class RunGate {
    private final CountDownLatch opened = new CountDownLatch(1);
    private int started;

    static RunGate closed() {
        return new RunGate();
    }

    static RunGate alwaysOpen() {
        RunGate gate = new RunGate();
        gate.open();
        return gate;
    }

    /** Called by a model run: counts it, then waits for the gate to open. */
    void pass() {
        synchronized (this) {
            started++;
            notifyAll();
        }
        try {
            opened.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the gate", e);
        }
    }

    void open() {
        opened.countDown();
    }

    synchronized void awaitStarted(int runs) throws InterruptedException {
        while (started < runs) {
            wait();
        }
    }
}
