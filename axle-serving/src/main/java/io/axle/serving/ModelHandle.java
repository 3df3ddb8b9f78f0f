package io.axle.serving;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swappable while requests run ({@code --watch}): a request {@linkplain #acquire() leases}
 * the current model and returns the lease when done; {@link #swap} installs a new model at once and closes the old
 * one only when its last lease is returned, so no request fails because of a swap.
 */
public final class ModelHandle implements AutoCloseable {
    private final AtomicReference<Lease> current;

    public ModelHandle(ServedModel initial) {
        this.current = new AtomicReference<>(new Lease(requireNonNull(initial, "initial is null")));
    }

    /** The model now being served, held until the lease is closed. */
    public Lease acquire() {
        while (true) {
            Lease lease = current.get();
            if (lease.retain()) {
                return lease;
            }
            // swapped and released between the read and the retain: read the new one
        }
    }

    /** Serves {@code next} from now on; the previous model closes once its in-flight requests are done. */
    public void swap(ServedModel next) {
        Lease previous = current.getAndSet(new Lease(requireNonNull(next, "next is null")));
        previous.close();
    }

    /** The model now being served, without a lease: for metadata that does not run it. */
    public ServedModel peek() {
        return current.get().served();
    }

    @Override
    public void close() {
        current.get().close();
    }

    /** A hold on one served model; closing it lets a swapped-out model close. */
    public static final class Lease implements AutoCloseable {
        private final ServedModel served;
        // one reference belongs to the handle while this is the current model
        private final AtomicInteger references = new AtomicInteger(1);

        private Lease(ServedModel served) {
            this.served = served;
        }

        public ServedModel served() {
            return served;
        }

        private boolean retain() {
            while (true) {
                int count = references.get();
                if (count == 0) {
                    return false;
                }
                if (references.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        @Override
        public void close() {
            if (references.decrementAndGet() == 0) {
                served.close();
            }
        }
    }
}
