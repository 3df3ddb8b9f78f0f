package io.axle.cli.mlflowimport;

import com.fasterxml.jackson.databind.JsonNode;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** Walks MLflow's paginated answers: {@code next_page_token} until there is none, one page in memory at a time. */
final class Pages {
    private Pages() {}

    /** Calls {@code each} on every element of {@code field} of every page {@code fetch} returns for a page token. */
    static void forEach(Function<Optional<String>, JsonNode> fetch, String field, Consumer<JsonNode> each) {
        Optional<String> token = Optional.empty();
        do {
            JsonNode page = fetch.apply(token);
            page.path(field).forEach(each);
            Optional<String> next =
                    Optional.of(page.path("next_page_token").asText("")).filter(text -> !text.isEmpty());
            // a server that hands back the token it was given would keep this loop going for ever
            if (next.isPresent() && next.equals(token)) {
                throw new AxleException(
                        ErrorCode.INTERNAL_ERROR, "The server returned page token " + next.get() + " twice in a row");
            }
            token = next;
        } while (token.isPresent());
    }
}
