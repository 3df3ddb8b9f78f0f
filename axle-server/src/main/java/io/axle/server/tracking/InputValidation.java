package io.axle.server.tracking;

import io.axle.common.AxleException;
import java.util.Optional;

/** MLflow's limits on datasets and their input tags. */
final class InputValidation {
    private static final int MAX_NAME = 500;
    private static final int MAX_DIGEST = 36;
    private static final int MAX_SOURCE_TYPE = 36;
    private static final int MAX_SOURCE = 65_535;
    private static final int MAX_SCHEMA_OR_PROFILE = 1_000_000;
    private static final int MAX_TAG_KEY = 255;
    private static final int MAX_TAG_VALUE = 500;

    private InputValidation() {}

    static void datasetInput(DatasetInput input) {
        Dataset dataset = input.dataset();
        required("dataset.name", dataset.name(), MAX_NAME);
        required("dataset.digest", dataset.digest(), MAX_DIGEST);
        required("dataset.source_type", dataset.sourceType(), MAX_SOURCE_TYPE);
        required("dataset.source", dataset.source(), MAX_SOURCE);
        optional("dataset.schema", dataset.schema(), MAX_SCHEMA_OR_PROFILE);
        optional("dataset.profile", dataset.profile(), MAX_SCHEMA_OR_PROFILE);
        for (Tag tag : input.tags()) {
            required("tags.key", tag.key(), MAX_TAG_KEY);
            if (tag.value().length() > MAX_TAG_VALUE) {
                throw tooLong("tags.value of '" + tag.key() + "'", tag.value().length(), MAX_TAG_VALUE);
            }
        }
    }

    private static void required(String field, String value, int limit) {
        if (value.isEmpty()) {
            throw AxleException.invalidParameter(
                    "Missing value for required parameter '" + field + "' of a dataset input.");
        }
        if (value.length() > limit) {
            throw tooLong(field, value.length(), limit);
        }
    }

    private static void optional(String field, Optional<String> value, int limit) {
        if (value.isPresent() && value.get().length() > limit) {
            throw tooLong(field, value.get().length(), limit);
        }
    }

    private static AxleException tooLong(String field, int length, int limit) {
        return AxleException.invalidParameter(
                "Dataset input field '" + field + "' is " + length + " characters long; the limit is " + limit + ".");
    }
}
