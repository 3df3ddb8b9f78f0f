package io.axle.gpu.reservation;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Memory held on a GPU for a process that is starting and has not allocated yet.
 *
 * @param pid the process that reserved ({@code axle gpu pick}, which exits at once: expiry is by time only)
 * @param owner the user who reserved
 * @param command the command that ran {@code axle gpu pick} (its parent process), or {@code unknown}
 */
public record Reservation(
        String id,
        String gpuUuid,
        long bytes,
        long pid,
        String owner,
        String command,
        Instant created,
        Instant expires) {
    public Reservation {
        requireNonNull(id, "id is null");
        requireNonNull(gpuUuid, "gpuUuid is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(command, "command is null");
        requireNonNull(created, "created is null");
        requireNonNull(expires, "expires is null");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes cannot be negative");
        }
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(expires);
    }

    /** What a caller asks to hold: {@code bytes} on one GPU. */
    public record Claim(String gpuUuid, long bytes) {
        public Claim {
            requireNonNull(gpuUuid, "gpuUuid is null");
        }
    }
}
