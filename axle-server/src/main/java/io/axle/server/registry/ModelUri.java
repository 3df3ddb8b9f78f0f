package io.axle.server.registry;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Locale;

/**
 * A model reference as Axle takes it everywhere: {@code models:/name/3}, {@code models:/name/Production} (a stage,
 * in any case), {@code models:/name@champion}, {@code models:/name/latest}, or {@code runs:/<run_id>/path}.
 */
public sealed interface ModelUri {
    record ByVersion(String name, long version) implements ModelUri {}

    record ByStage(String name, Stage stage) implements ModelUri {}

    record ByAlias(String name, String alias) implements ModelUri {}

    record Latest(String name) implements ModelUri {}

    record RunPath(String runId, String path) implements ModelUri {}

    static boolean isModelUri(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("models:/") || lower.startsWith("runs:/");
    }

    static ModelUri parse(String text) {
        requireNonNull(text, "text is null");
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("runs:/")) {
            return runPath(text, text.substring("runs:/".length()));
        }
        if (!lower.startsWith("models:/")) {
            throw invalid(text, "it is neither models:/ nor runs:/");
        }
        String rest = text.substring("models:/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            int at = rest.lastIndexOf('@');
            if (at <= 0 || at == rest.length() - 1) {
                throw invalid(text, "expected models:/<name>/<version, stage or 'latest'> or models:/<name>@<alias>");
            }
            return new ByAlias(rest.substring(0, at), rest.substring(at + 1));
        }
        String name = rest.substring(0, slash);
        String selector = rest.substring(slash + 1);
        if (name.isEmpty() || selector.isEmpty() || selector.contains("/")) {
            throw invalid(text, "expected models:/<name>/<version, stage or 'latest'> or models:/<name>@<alias>");
        }
        if (selector.chars().allMatch(Character::isDigit)) {
            return new ByVersion(name, RegistryValidation.version(selector));
        }
        if (selector.equalsIgnoreCase("latest")) {
            return new Latest(name);
        }
        if (Stage.isStage(selector)) {
            return new ByStage(name, Stage.parse(selector));
        }
        throw invalid(
                text,
                "'" + selector + "' is not a version number, a stage (None, Staging, Production, "
                        + "Archived) or 'latest'");
    }

    private static RunPath runPath(String text, String rest) {
        String trimmed = rest.replaceFirst("^/+", "");
        int slash = trimmed.indexOf('/');
        String runId = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (runId.isEmpty()) {
            throw invalid(text, "expected runs:/<run_id>/<path>");
        }
        return new RunPath(runId, slash < 0 ? "" : trimmed.substring(slash + 1).replaceFirst("/+$", ""));
    }

    private static AxleException invalid(String text, String problem) {
        return AxleException.invalidParameter(
                "Invalid model URI '" + RegistryValidation.printable(text) + "': " + problem + ".");
    }
}
