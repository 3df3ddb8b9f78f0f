package io.axle.serving.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** A request as the routes see it: path parameters, the content type and a size-limited body. */
final class Call {
    private final Request request;
    private final Map<String, String> pathParameters;
    private final long maxBodyBytes;

    Call(Request request, Map<String, String> pathParameters, long maxBodyBytes) {
        this.request = requireNonNull(request, "request is null");
        this.pathParameters = Map.copyOf(pathParameters);
        this.maxBodyBytes = maxBodyBytes;
    }

    String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    Optional<String> optionalPathParameter(String name) {
        return Optional.ofNullable(pathParameters.get(name));
    }

    /** The media type without parameters, lower-cased ({@code application/json}); empty when the header is absent. */
    String mediaType() {
        String header = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    String contentTypeHeader() {
        String header = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return header == null ? "" : header;
    }

    /** The whole body; over the limit is 413. */
    byte[] body() {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1)));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new AxleException(ErrorCode.BAD_REQUEST, "could not read the request body: " + e.getMessage(), e);
        }
    }

    private AxleException tooLarge() {
        return new AxleException(
                ErrorCode.REQUEST_TOO_LARGE, "the request body is larger than " + maxBodyBytes + " bytes");
    }
}
