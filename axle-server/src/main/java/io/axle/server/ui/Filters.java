package io.axle.server.ui;

/** Writing what a user typed into a search box as a safe part of the search DSL (never as SQL). */
public final class Filters {
    private Filters() {}

    /** {@code text} as a DSL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** A LIKE pattern matching values that contain {@code text}, with its own % and _ taken literally. */
    public static String containing(String text) {
        String escaped = text.replace("\\", "\\\\\\\\").replace("%", "\\%").replace("_", "\\_");
        return "'%" + escaped.replace("'", "''") + "%'";
    }

    /** {@code key} as a backticked DSL name: {@code tags.`my key`}. */
    public static String name(String key) {
        if (key.indexOf('`') >= 0) {
            throw new UiException(400, "A name with a backtick (`) cannot be searched for: " + key);
        }
        return "`" + key + "`";
    }
}
