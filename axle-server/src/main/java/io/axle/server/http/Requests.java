package io.axle.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads an API request's message: the query string of a GET, otherwise the JSON body (at most {@link RequestLimits#maxBody}, 1 MiB by default). */
public final class Requests {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String BODY_ATTRIBUTE = "axle.body";

    private Requests() {}

    public static RequestMessage message(Context ctx, Json json) {
        if (ctx.method() == HandlerType.GET
                && ctx.queryString() != null
                && !ctx.queryString().isEmpty()) {
            return RequestMessage.ofQuery(ctx.queryParamMap());
        }
        long declared = ctx.contentLength();
        if (declared == 0 || (declared < 0 && ctx.method() == HandlerType.GET)) {
            return RequestMessage.empty();
        }
        return RequestMessage.of(body(ctx, json, RequestLimits.maxBody(ctx), SPLIT_HINT));
    }

    /** The JSON body, when a handler or the access check has already read it. */
    public static java.util.Optional<JsonNode> bodyIfRead(Context ctx) {
        return ctx.attribute(BODY_ATTRIBUTE) instanceof JsonNode read
                ? java.util.Optional.of(read)
                : java.util.Optional.empty();
    }

    /** The JSON body of a request that may be larger than API messages are (up to {@code limit} bytes). */
    public static JsonNode body(Context ctx, Json json, long limit, String hint) {
        // the access check may have read the body already, and a request's stream is read once
        if (ctx.attribute(BODY_ATTRIBUTE) instanceof JsonNode read) {
            return read;
        }
        JsonNode read = readBody(ctx, json, limit, hint);
        ctx.attribute(BODY_ATTRIBUTE, read);
        return read;
    }

    private static JsonNode readBody(Context ctx, Json json, long limit, String hint) {
        long declared = ctx.contentLength();
        if (declared > limit) {
            drain(ctx, declared);
            throw tooLarge(declared, limit, hint);
        }
        try (InputStream body = new LimitedInputStream(ctx.req().getInputStream(), limit, hint)) {
            return json.read(body);
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    // a client still sending its body when the 413 goes out sees the connection reset instead of the answer;
    // a body of moderate size is read and dropped first so that the client gets the message
    private static final long DRAINED_BEFORE_REFUSING = 16L * 1024 * 1024;

    private static void drain(Context ctx, long declared) {
        if (declared > DRAINED_BEFORE_REFUSING) {
            return;
        }
        try (InputStream body = ctx.req().getInputStream()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the refusal goes out all the same
        }
    }

    private static final String SPLIT_HINT =
            "Split the request (for log-batch: at most 1000 metrics, 100 params and 100 tags per call).";

    private static AxleException tooLarge(long size, long limit, String hint) {
        return new AxleException(
                ErrorCode.REQUEST_TOO_LARGE,
                "The request body" + (size > 0 ? " of " + size + " bytes" : "") + " is larger than the limit of "
                        + limit + " bytes. " + hint);
    }

    /** Fails as soon as a body without a Content-Length goes past the limit, instead of buffering it. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private final String hint;
        private long remaining;

        LimitedInputStream(InputStream in, long limit, String hint) {
            super(in);
            this.limit = limit;
            this.hint = hint;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0 && --remaining < 0) {
                throw tooLarge(-1, limit, hint);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                remaining -= read;
                if (remaining < 0) {
                    throw tooLarge(-1, limit, hint);
                }
            }
            return read;
        }
    }
}
