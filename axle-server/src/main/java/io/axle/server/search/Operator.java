package io.axle.server.search;

/** The comparators of MLflow's search filters. */
public enum Operator {
    EQUAL("="),
    NOT_EQUAL("!="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN");

    private final String text;

    Operator(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean isNumeric() {
        return switch (this) {
            case EQUAL, NOT_EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL -> true;
            case LIKE, ILIKE, IN, NOT_IN -> false;
        };
    }

    /** The SQL comparator for the plain comparisons; LIKE, ILIKE and the IN forms are written by the caller. */
    public String sql() {
        return switch (this) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case GREATER -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LESS -> "<";
            case LESS_OR_EQUAL -> "<=";
            case LIKE, ILIKE, IN, NOT_IN -> throw new IllegalStateException(text + " has no single SQL comparator");
        };
    }
}
