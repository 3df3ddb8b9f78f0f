package io.axle.server.search;

/** The comparison operators of MLflow's search grammar. */
public enum Operator {
    EQUAL("="),
    NOT_EQUAL("!="),
    LESS_THAN("<"),
    LESS_THAN_OR_EQUAL("<="),
    GREATER_THAN(">"),
    GREATER_THAN_OR_EQUAL(">="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** How the operator is written in a filter. */
    public String symbol() {
        return symbol;
    }

    /** Whether the operator takes a parenthesised list of values. */
    public boolean takesList() {
        return this == IN || this == NOT_IN;
    }
}
