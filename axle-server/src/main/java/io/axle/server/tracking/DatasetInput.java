package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A dataset as an input of a run, with the input's tags (e.g. {@code mlflow.data.context}). */
public record DatasetInput(List<Tag> tags, Dataset dataset) {
    public DatasetInput {
        tags = List.copyOf(tags);
        requireNonNull(dataset, "dataset is null");
    }
}
