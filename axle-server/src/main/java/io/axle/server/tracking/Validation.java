package io.axle.server.tracking;

import io.axle.common.AxleException;
import java.util.regex.Pattern;

/** MLflow 2.x's limits and naming rules for what runs and experiments record. */
final class Validation {
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    static final int MAX_EXPERIMENT_NAME_LENGTH = 256;
    static final int MAX_RUN_NAME_LENGTH = 250;
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    static final int MAX_ENTITIES_PER_BATCH = 1000;
    static final int MAX_RESULTS_LIMIT = 50_000;

    private static final Pattern VALID_KEY = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);

    private Validation() {}

    static void metric(Metric metric) {
        key("metric", metric.key());
    }

    static void param(Param param) {
        key("param", param.key());
        valueLength("param", param.key(), param.value(), MAX_PARAM_VALUE_LENGTH);
    }

    static void tag(Tag tag) {
        key("tag", tag.key());
        valueLength("tag", tag.key(), tag.value(), MAX_TAG_VALUE_LENGTH);
    }

    static void experimentTag(Tag tag) {
        key("tag", tag.key());
        valueLength("tag", tag.key(), tag.value(), MAX_EXPERIMENT_TAG_VALUE_LENGTH);
    }

    static void key(String kind, String key) {
        if (key.isEmpty()) {
            throw AxleException.invalidParameter("Invalid " + kind + " name: ''. Names must not be empty.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw AxleException.invalidParameter("Invalid " + kind + " name: '" + abbreviate(key) + "' is "
                    + key.length() + " characters long; the limit is " + MAX_KEY_LENGTH + ".");
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw AxleException.invalidParameter(
                    "Invalid " + kind + " name: '" + key + "'. Names may only contain "
                            + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).");
        }
        if (!isUniquePath(key)) {
            throw AxleException.invalidParameter("Invalid " + kind + " name: '" + key
                    + "'. Names cannot resolve to '.' or '' or contain '../' style references.");
        }
    }

    static void experimentName(String name) {
        if (name.isBlank()) {
            throw AxleException.invalidParameter("Invalid experiment name: '" + name + "'. Names must not be empty.");
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw AxleException.invalidParameter("Invalid experiment name: it is " + name.length()
                    + " characters long; the limit is " + MAX_EXPERIMENT_NAME_LENGTH + ".");
        }
    }

    static void runName(String name) {
        if (name.length() > MAX_RUN_NAME_LENGTH) {
            throw AxleException.invalidParameter("Invalid run name: it is " + name.length()
                    + " characters long; the limit is " + MAX_RUN_NAME_LENGTH + ".");
        }
    }

    static int maxResults(int requested, int defaultValue) {
        if (requested == 0) {
            return defaultValue;
        }
        if (requested < 0 || requested > MAX_RESULTS_LIMIT) {
            throw AxleException.invalidParameter(
                    "Invalid value " + requested + " for parameter 'max_results' supplied. " + "It must be at most "
                            + MAX_RESULTS_LIMIT + " and positive.");
        }
        return requested;
    }

    private static void valueLength(String kind, String key, String value, int limit) {
        if (value.length() > limit) {
            throw AxleException.invalidParameter("Invalid value for " + kind + " '" + key + "': it is " + value.length()
                    + " characters long; the limit is " + limit + ".");
        }
    }

    // MLflow refuses names that a file store could not keep apart: "a/./b", "a//b", "../x", "/x", "x/".
    private static boolean isUniquePath(String key) {
        if (key.startsWith("/") || key.endsWith("/")) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
