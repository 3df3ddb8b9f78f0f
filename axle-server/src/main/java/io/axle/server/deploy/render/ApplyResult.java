package io.axle.server.deploy.render;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an apply changed, each object written {@code Kind namespace/name}, in the order it was done.
 *
 * @param applied the objects created or replaced
 * @param deleted the objects of the deployment the render no longer has
 */
public record ApplyResult(List<String> applied, List<String> deleted) {
    public ApplyResult {
        applied = List.copyOf(requireNonNull(applied, "applied is null"));
        deleted = List.copyOf(requireNonNull(deleted, "deleted is null"));
    }
}
