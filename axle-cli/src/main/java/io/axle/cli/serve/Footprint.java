package io.axle.cli.serve;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * How much GPU memory a model is expected to need, and where that figure came from, for choosing a GPU.
 *
 * @param basis said in the log: a measured tag, or an estimate from the files' size
 */
record Footprint(long bytes, String basis) {
    /** The tag {@code --report-footprint} writes; the deployer's admission control reads the same one. */
    static final String GPU_MEMORY_TAG = "axle.gpu_memory_bytes";

    static final String MEMORY_TAG = "axle.memory_bytes";

    // weights are loaded once and the runtime's workspace and activations take about as much again
    private static final int ESTIMATE_FACTOR = 2;

    Footprint {
        requireNonNull(basis, "basis is null");
    }

    /** The measured figure when the version carries a valid {@value #GPU_MEMORY_TAG}, else files' size times two. */
    static Footprint of(Optional<String> measuredTag, long modelBytes) {
        Optional<Long> measured = measuredTag.flatMap(Footprint::parse);
        if (measured.isPresent()) {
            return new Footprint(measured.get(), "measured, from the version's " + GPU_MEMORY_TAG + " tag");
        }
        return new Footprint(
                modelBytes * ESTIMATE_FACTOR,
                "estimated as " + ESTIMATE_FACTOR + " x the model files' " + modelBytes + " bytes"
                        + (measuredTag.isPresent() ? " (the " + GPU_MEMORY_TAG + " tag is not a number)" : "")
                        + "; --report-footprint measures it");
    }

    private static Optional<Long> parse(String value) {
        try {
            long bytes = Long.parseLong(value.strip());
            return bytes >= 0 ? Optional.of(bytes) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
