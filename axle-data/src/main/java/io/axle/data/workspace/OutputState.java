package io.axle.data.workspace;

/** How an output differs from what its {@code .dvc} file records, in DVC's words. */
public enum OutputState {
    NEW("new"),
    MODIFIED("modified"),
    DELETED("deleted"),
    NOT_IN_CACHE("not in cache");

    private final String dvcName;

    OutputState(String dvcName) {
        this.dvcName = dvcName;
    }

    public String dvcName() {
        return dvcName;
    }
}
