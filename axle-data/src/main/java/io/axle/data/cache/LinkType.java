package io.axle.data.cache;

import io.axle.data.repo.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a cached object reaches the workspace ({@code cache.type} in DVC's config). */
public enum LinkType {
    REFLINK,
    HARDLINK,
    SYMLINK,
    COPY;

    /** DVC's default when {@code cache.type} is not set. */
    public static final List<LinkType> DEFAULT = List.of(REFLINK, COPY);

    public String dvcName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code cache.type}: one name or a comma-separated list tried in order. */
    public static List<LinkType> parseList(String value) {
        List<LinkType> types = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            try {
                types.add(LinkType.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw DataException.config("cache.type '" + name + "' is not one of reflink, hardlink, symlink, copy");
            }
        }
        if (types.isEmpty()) {
            throw DataException.config("cache.type is empty");
        }
        return List.copyOf(types);
    }
}
