package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What one import copied, what it found already copied, and what it left out and why. */
final class ImportSummary {
    /** Something not copied: what it is and why. */
    record Problem(String item, String reason) {
        Problem {
            requireNonNull(item, "item is null");
            requireNonNull(reason, "reason is null");
        }
    }

    long experiments;
    long runs;
    long params;
    long tags;
    long metricPoints;
    long datasetInputs;
    long artifactFiles;
    long artifactBytes;
    long models;
    long versions;
    long experimentsAlreadyDone;
    long runsAlreadyDone;
    long modelsAlreadyDone;
    long artifactFilesAlreadyThere;
    private final List<Problem> skipped = new ArrayList<>();
    private final List<Problem> failed = new ArrayList<>();

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
        out.println(line("experiments", experiments, experimentsAlreadyDone));
        out.println(line("runs", runs, runsAlreadyDone));
        out.println("  params               " + params);
        out.println("  tags                 " + tags);
        out.println("  metric points        " + metricPoints);
        out.println("  dataset inputs       " + datasetInputs);
        out.println("  artifacts            " + artifactFiles + " files, " + artifactBytes + " bytes"
                + (artifactFilesAlreadyThere > 0 ? " (" + artifactFilesAlreadyThere + " files already there)" : ""));
        out.println(line("registered models", models, modelsAlreadyDone));
        out.println("  model versions       " + versions);
        print(out, "Skipped", skipped);
        print(out, "Failed", failed);
        if (exitCode() != 0) {
            out.println("Run the same command again to retry what was left out; " + stateFile
                    + " remembers what is copied, so nothing is copied twice.");
        }
        out.flush();
    }

    private static String line(String label, long copied, long alreadyDone) {
        return String.format("  %-20s %d", label, copied)
                + (alreadyDone > 0 ? " (" + alreadyDone + " done before)" : "");
    }

    private static void print(PrintWriter out, String heading, List<Problem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        out.println(heading + " (" + problems.size() + "):");
        problems.forEach(problem -> out.println("  " + problem.item() + ": " + problem.reason()));
    }
}
