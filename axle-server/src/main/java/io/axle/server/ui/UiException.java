package io.axle.server.ui;

/** A page that cannot be shown or an action that was refused, with the HTTP status and the sentence to show. */
public final class UiException extends RuntimeException {
    private final int status;

    public UiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
