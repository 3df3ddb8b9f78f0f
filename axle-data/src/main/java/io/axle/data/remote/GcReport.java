package io.axle.data.remote;

/** What {@code gc} removed: cache objects and, with {@code -c}, remote objects. */
public record GcReport(int usedObjects, int removedFromCache, int removedFromRemote) {}
