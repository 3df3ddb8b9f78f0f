package io.axle.serving;

import static java.util.Objects.requireNonNull;

/** A loaded model with the predictor in front of it (the batcher, or direct calls). */
public record ServedModel(Model model, Predictor predictor) {
    public ServedModel {
        requireNonNull(model, "model is null");
        requireNonNull(predictor, "predictor is null");
    }

    /** Closes the predictor (which drains what it took), then the model. */
    public void close() {
        try {
            predictor.close();
        } finally {
            model.close();
        }
    }
}
