package io.axle.data.workspace;

import java.util.List;

/** What {@code checkout} changed: outputs added (were absent) and modified (replaced), as DVC lists them. */
public record CheckoutReport(List<String> added, List<String> modified, List<String> deleted) {
    public CheckoutReport {
        added = List.copyOf(added);
        modified = List.copyOf(modified);
        deleted = List.copyOf(deleted);
    }

    public boolean isEmpty() {
        return added.isEmpty() && modified.isEmpty() && deleted.isEmpty();
    }
}
