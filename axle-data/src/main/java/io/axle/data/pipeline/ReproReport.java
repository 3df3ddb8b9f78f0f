package io.axle.data.pipeline;

import java.util.List;

/** What {@code repro} did: stages run (or, dry, that would run), stages skipped, files to {@code git add}. */
public record ReproReport(List<String> ran, List<String> skipped, List<String> gitAdd) {
    public ReproReport {
        ran = List.copyOf(ran);
        skipped = List.copyOf(skipped);
        gitAdd = List.copyOf(gitAdd);
    }
}
