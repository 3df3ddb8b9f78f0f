package io.axle.gpu.placement;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Whether a model fits, where its replicas go, and the arithmetic a person can check.
 *
 * @param placements where the new replicas run once the rollout is done; empty when it does not fit
 * @param explanation one line: every GPU's free memory and how it was reached, what was asked, and why it fits or not
 */
public record Admission(Verdict verdict, List<Placement> placements, String explanation) {
    public enum Verdict {
        /** Fits, surge included: old and new replicas can run at once during the rollout. */
        FITS,
        /** Fits only if each old replica stops before its new one starts (deploy with maxSurge 0). */
        FITS_WITHOUT_SURGE,
        DOES_NOT_FIT
    }

    public Admission {
        requireNonNull(verdict, "verdict is null");
        requireNonNull(explanation, "explanation is null");
        placements = List.copyOf(placements);
    }

    public boolean fits() {
        return verdict != Verdict.DOES_NOT_FIT;
    }
}
