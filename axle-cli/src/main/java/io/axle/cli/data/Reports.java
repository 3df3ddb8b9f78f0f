package io.axle.cli.data;

import io.axle.data.remote.SyncReport;

/** How push, fetch and pull tell what they did, in DVC's words. */
final class Reports {
    private Reports() {}

    static void print(DataCommand data, SyncReport report, String verb) {
        if (!report.missing().isEmpty()) {
            data.err()
                    .println("WARNING: Some of the cache files do not exist neither locally nor on remote. Missing"
                            + " cache files:\n" + String.join("\n", report.missing()));
        }
        if (report.transferred() == 0) {
            data.out().println("Everything is up to date.");
        } else {
            data.out().println(report.transferred() + (report.transferred() == 1 ? " file " : " files ") + verb);
        }
    }
}
