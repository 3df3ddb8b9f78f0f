package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** One HTTP answer, whole. */
record Reply(int status, String contentType, byte[] body) {
    static final String JSON = "application/json";

    Reply {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
    }

    static Reply json(int status, byte[] body) {
        return new Reply(status, JSON, body);
    }

    static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply empty(int status) {
        return new Reply(status, "text/plain", new byte[0]);
    }
}
