package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one import copied, what it found already copied, and what it left out and why. */
final class ImportSummary {
    /** Something not copied: what it is and why. */
    record Problem(String item, String reason) {
        Problem {
            requireNonNull(item, "item is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** What is counted. */
    enum Count {
        EXPERIMENTS,
        RUNS,
        PARAMS,
        TAGS,
        METRIC_POINTS,
        DATASET_INPUTS,
        ARTIFACT_FILES,
        ARTIFACT_BYTES,
        MODELS,
        VERSIONS,
        EXPERIMENTS_DONE_BEFORE,
        RUNS_DONE_BEFORE,
        MODELS_DONE_BEFORE,
        ARTIFACT_FILES_ALREADY_THERE
    }

    private final Map<Count, Long> counts = new EnumMap<>(Count.class);
    private final List<Problem> skipped = new ArrayList<>();
    private final List<Problem> failed = new ArrayList<>();

    void add(Count count, long amount) {
        counts.merge(count, amount, Long::sum);
    }

    long count(Count count) {
        return counts.getOrDefault(count, 0L);
    }

    void skipped(String item, String reason) {
        skipped.add(new Problem(item, reason));
    }

    void failed(String item, String reason) {
        failed.add(new Problem(item, reason));
    }

    List<Problem> skipped() {
        return List.copyOf(skipped);
    }

    List<Problem> failed() {
        return List.copyOf(failed);
    }

    /** Zero when everything was copied; one when something was skipped or failed. */
    int exitCode() {
        return skipped.isEmpty() && failed.isEmpty() ? 0 : 1;
    }

    void print(PrintWriter out, String source, String target, String stateFile) {
        out.println("Imported from " + source + " into " + target + ":");
        out.println(line("experiments", Count.EXPERIMENTS) + doneBefore(Count.EXPERIMENTS_DONE_BEFORE));
        out.println(line("runs", Count.RUNS) + doneBefore(Count.RUNS_DONE_BEFORE));
        out.println(line("params", Count.PARAMS));
        out.println(line("tags", Count.TAGS));
        out.println(line("metric points", Count.METRIC_POINTS));
        out.println(line("dataset inputs", Count.DATASET_INPUTS));
        long alreadyThere = count(Count.ARTIFACT_FILES_ALREADY_THERE);
        out.println(line("artifacts", Count.ARTIFACT_FILES) + " files, " + count(Count.ARTIFACT_BYTES) + " bytes"
                + (alreadyThere > 0 ? " (" + alreadyThere + " files already there)" : ""));
        out.println(line("registered models", Count.MODELS) + doneBefore(Count.MODELS_DONE_BEFORE));
        out.println(line("model versions", Count.VERSIONS));
        print(out, "Skipped", skipped);
        print(out, "Failed", failed);
        if (exitCode() != 0) {
            out.println("Run the same command again to retry what was left out; " + stateFile
                    + " remembers what is copied, so nothing is copied twice.");
        }
        out.flush();
    }

    private String line(String label, Count count) {
        return String.format("  %-20s %d", label, count(count));
    }

    private String doneBefore(Count count) {
        return count(count) > 0 ? " (" + count(count) + " done before)" : "";
    }

    private static void print(PrintWriter out, String heading, List<Problem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        out.println(heading + " (" + problems.size() + "):");
        problems.forEach(problem -> out.println("  " + problem.item() + ": " + problem.reason()));
    }
}
