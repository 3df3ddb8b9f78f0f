package io.axle.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * JSON as MLflow's server writes it: snake_case names, absent optionals and empty lists left out, NaN and
 * infinities as the strings protobuf uses; and read leniently the way MLflow's Python client writes it (bare NaN).
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // a body with more after its JSON value is malformed, as json.loads finds it, not cut short
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new Jdk8Module())
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.USE_DEFAULTS))
                .build();
        JsonInclude.Value nonEmpty =
                JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_EMPTY);
        mapper.configOverride(Collection.class).setInclude(nonEmpty);
        mapper.configOverride(java.util.List.class).setInclude(nonEmpty);
        mapper.configOverride(Map.class).setInclude(nonEmpty);
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Parses a request body; malformed JSON or bad UTF-8 is the client's error, named with its position. */
    public JsonNode read(InputStream body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? mapper.createObjectNode() : node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST,
                    "Malformed JSON in request body: " + e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.MALFORMED_REQUEST, "Could not read the request body: " + e.getMessage(), e);
        }
    }

    private static String locationOf(com.fasterxml.jackson.core.JacksonException e) {
        var location = e.getLocation();
        if (location == null) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    public byte[] writeBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(OutputStream out, Object value) {
        try {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} as the JSON response body with status 200. */
    public void respond(Context ctx, Object value) {
        ctx.contentType("application/json");
        ctx.result(writeBytes(value));
    }
}
