package io.axle.data.remote;

/**
 * Which commits' data {@code gc} keeps: the workspace always, and the heads of all branches and all tags when asked.
 * At least one must be set, as DVC demands, so a bare {@code gc} never deletes data by accident.
 */
public record GcScope(boolean workspace, boolean allBranches, boolean allTags) {
    public boolean isSet() {
        return workspace || allBranches || allTags;
    }

    /** The warning DVC shows before asking. */
    public String describe() {
        StringBuilder text = new StringBuilder("This will remove all cache except items used in the workspace");
        if (allBranches) {
            text.append(" and all git branches");
        }
        if (allTags) {
            text.append(" and all git tags");
        }
        return text.append(" of the current repo.").toString();
    }
}
