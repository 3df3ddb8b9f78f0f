package io.axle.server.auth;

import io.axle.common.AxleException;
import java.util.Arrays;
import java.util.Locale;

/** What a user may do with an experiment or a registered model, ordered as MLflow's auth orders them. */
public enum Permission {
    NO_PERMISSIONS,
    READ,
    EDIT,
    MANAGE;

    public boolean canRead() {
        return this != NO_PERMISSIONS;
    }

    /** Update (log to runs, edit descriptions and tags). */
    public boolean canEdit() {
        return this == EDIT || this == MANAGE;
    }

    /** Delete the resource and change who may use it. */
    public boolean canDelete() {
        return this == MANAGE;
    }

    public boolean canManage() {
        return this == MANAGE;
    }

    /** Parses a permission name as clients write it; anything else is the client's 400. */
    public static Permission parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AxleException.invalidParameter(
                    "Invalid permission '" + text + "': use one of " + Arrays.toString(values()) + ".");
        }
    }
}
