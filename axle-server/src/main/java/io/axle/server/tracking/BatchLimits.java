package io.axle.server.tracking;

import io.axle.common.AxleException;

/** MLflow's per-request limits of log-batch. */
final class BatchLimits {
    private BatchLimits() {}

    static void check(int metrics, int params, int tags) {
        if (metrics > Validation.MAX_METRICS_PER_BATCH) {
            throw tooMany("metrics", metrics, Validation.MAX_METRICS_PER_BATCH);
        }
        if (params > Validation.MAX_PARAMS_TAGS_PER_BATCH) {
            throw tooMany("params", params, Validation.MAX_PARAMS_TAGS_PER_BATCH);
        }
        if (tags > Validation.MAX_PARAMS_TAGS_PER_BATCH) {
            throw tooMany("tags", tags, Validation.MAX_PARAMS_TAGS_PER_BATCH);
        }
        int total = metrics + params + tags;
        if (total > Validation.MAX_ENTITIES_PER_BATCH) {
            throw AxleException.invalidParameter("A batch logging request can contain at most "
                    + Validation.MAX_ENTITIES_PER_BATCH + " metrics, params and tags in total. Got " + total
                    + ". Please split up the entities across multiple requests and try again.");
        }
    }

    private static AxleException tooMany(String kind, int count, int limit) {
        return AxleException.invalidParameter("A batch logging request can contain at most " + limit + " " + kind
                + ". Got " + count + " " + kind + ". Please split up " + kind
                + " across multiple requests and try again.");
    }
}
