package io.axle.server.http;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads an API request's message: the query string of a GET, otherwise the JSON body (at most 1 MB). */
public final class Requests {
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private Requests() {}

    public static RequestMessage message(Context ctx, Json json) {
        if (ctx.method() == HandlerType.GET
                && ctx.queryString() != null
                && !ctx.queryString().isEmpty()) {
            return RequestMessage.ofQuery(ctx.queryParamMap());
        }
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared);
        }
        if (declared == 0 || (declared < 0 && ctx.method() == HandlerType.GET)) {
            return RequestMessage.empty();
        }
        try (InputStream body = new LimitedInputStream(ctx.req().getInputStream())) {
            return RequestMessage.of(json.read(body));
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    private static AxleException tooLarge(long size) {
        return new AxleException(
                ErrorCode.REQUEST_TOO_LARGE,
                "The request body" + (size > 0 ? " of " + size + " bytes" : "") + " is larger than the limit of "
                        + MAX_BODY_BYTES
                        + " bytes. Split the request (for log-batch: at most 1000 metrics, 100 params and 100 tags per call).");
    }

    /** Fails as soon as a body without a Content-Length goes past the limit, instead of buffering it. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining = MAX_BODY_BYTES;

        LimitedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int value = super.read();
            if (value >= 0 && --remaining < 0) {
                throw tooLarge(-1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                remaining -= read;
                if (remaining < 0) {
                    throw tooLarge(-1);
                }
            }
            return read;
        }
    }
}
