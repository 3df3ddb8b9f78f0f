package io.axle.data.remote;

import java.util.List;

/**
 * What a push or fetch did: objects transferred and their bytes, and the objects it could not find anywhere (shown as
 * {@code name (md5)}).
 */
public record SyncReport(int transferred, long bytes, List<String> missing) {
    public SyncReport {
        missing = List.copyOf(missing);
    }
}
