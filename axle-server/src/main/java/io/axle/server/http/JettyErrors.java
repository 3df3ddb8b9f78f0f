package io.axle.server.http;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the routes (a header too large, a malformed request line) get the
 * same JSON body as every other error, not an HTML page.
 */
final class JettyErrors extends ErrorHandler {
    private final Json json;

    JettyErrors(Json json) {
        this.json = requireNonNull(json, "json is null");
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback) {
        String text = message == null || message.isBlank() ? "HTTP error " + status : message;
        byte[] body =
                json.writeBytes(new ErrorBody(ErrorResponses.codeFor(status).name(), text));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
