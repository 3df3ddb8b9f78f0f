package io.axle.server.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.common.AxleException;
import io.axle.server.db.Dialect;
import io.axle.server.search.Filter;
import io.axle.server.search.OrderBy;
import io.axle.server.testing.ApiClient;
import io.axle.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random input where users type it: search filters for every entity, and JSON bodies for every POST route. Bad input
 * must be a 4xx naming the problem, never a 500 or an exception other than {@link AxleException}. The seed is printed;
 * {@code -Daxle.fuzz.seed=N} replays a run.
 */
class FuzzTest {
    private static final long SEED = Long.getLong("axle.fuzz.seed", System.nanoTime());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final List<String> RUN_FILTERS = List.of(
            "metrics.loss < 0.5",
            "params.lr = '0.01'",
            "tags.`mlflow.runName` LIKE 'train%'",
            "attributes.status = 'FINISHED' and metrics.acc >= 0.9",
            "attribute.start_time > 0",
            "datasets.name IN ('a', 'b')",
            "run_name ILIKE '%x%'",
            "tags.team != \"risk\"",
            "metric.loss IS NULL",
            "attributes.run_id IN ('a', 'b') AND params.x = 'y'");
    private static final List<String> EXPERIMENT_FILTERS =
            List.of("name LIKE 'exp%'", "tags.team = 'x'", "creation_time > 0", "attribute.name = 'Default'");
    private static final List<String> MODEL_FILTERS =
            List.of("name LIKE 'fraud%'", "tags.team = 'risk'", "name = 'fraud' and tags.`a b` != 'c'");
    private static final List<String> VERSION_FILTERS = List.of(
            "name = 'fraud' and version_number > 1",
            "run_id = 'abc'",
            "tags.`k` = 'v'",
            "name IN ('a', 'b') AND source LIKE 's3://%'");
    private static final List<String> ORDER_BYS =
            List.of("metrics.loss DESC", "start_time ASC", "attributes.run_name", "tags.`x y` desc", "params.lr");
    private static final List<String> TOKENS = List.of(
            " ",
            "'",
            "\"",
            "`",
            "(",
            ")",
            "and",
            "AND",
            "or",
            "OR",
            "IN",
            "NOT",
            "=",
            "!=",
            "<",
            ">=",
            "<>",
            "LIKE",
            "ILIKE",
            ",",
            ".",
            "metrics.",
            "tags.",
            "params.",
            "attributes.",
            "datasets.",
            "99999999999999999999999",
            "-1e309",
            "1e400",
            "NaN",
            "-",
            "\u0000",
            "\uD83D\uDE00",
            "\u202E",
            "é",
            "%",
            "_",
            "\\",
            ";--",
            "null",
            "IS NULL",
            "IS NOT NULL",
            "DESC",
            "ASC",
            "\n",
            "\t",
            "'')",
            "`",
            "``",
            "0x1F",
            "true",
            "ÿ",
            "\uFFFF");

    /** Every POST route of the API, with a body that is valid or close to it, to mutate. */
    private static final Map<String, Map<String, Object>> POST_ROUTES = new LinkedHashMap<>();

    static {
        String m = "/api/2.0/mlflow/";
        POST_ROUTES.put(m + "experiments/create", Map.of("name", "fuzz"));
        POST_ROUTES.put(m + "experiments/search", Map.of("filter", "name LIKE 'a%'", "max_results", 10));
        POST_ROUTES.put(m + "experiments/update", Map.of("experiment_id", "0", "new_name", "n"));
        POST_ROUTES.put(m + "experiments/delete", Map.of("experiment_id", "999"));
        POST_ROUTES.put(m + "experiments/restore", Map.of("experiment_id", "999"));
        POST_ROUTES.put(m + "experiments/set-experiment-tag", Map.of("experiment_id", "0", "key", "k", "value", "v"));
        POST_ROUTES.put(m + "experiments/delete-experiment-tag", Map.of("experiment_id", "0", "key", "k"));
        POST_ROUTES.put(m + "runs/create", Map.of("experiment_id", "0", "run_name", "r", "start_time", 1));
        POST_ROUTES.put(m + "runs/update", Map.of("run_id", "RUN", "status", "FINISHED", "end_time", 2));
        POST_ROUTES.put(m + "runs/delete", Map.of("run_id", "missing"));
        POST_ROUTES.put(m + "runs/restore", Map.of("run_id", "missing"));
        POST_ROUTES.put(m + "runs/search", Map.of("experiment_ids", List.of("0"), "filter", "metrics.a > 1"));
        POST_ROUTES.put(
                m + "runs/log-metric", Map.of("run_id", "RUN", "key", "loss", "value", 0.5, "timestamp", 1, "step", 0));
        POST_ROUTES.put(m + "runs/log-parameter", Map.of("run_id", "RUN", "key", "p", "value", "v"));
        POST_ROUTES.put(
                m + "runs/log-batch",
                Map.of(
                        "run_id",
                        "RUN",
                        "metrics",
                        List.of(Map.of("key", "a", "value", 1, "timestamp", 1, "step", 1)),
                        "params",
                        List.of(Map.of("key", "b", "value", "c")),
                        "tags",
                        List.of(Map.of("key", "t", "value", "u"))));
        POST_ROUTES.put(m + "runs/log-model", Map.of("run_id", "RUN", "model_json", "{}"));
        POST_ROUTES.put(
                m + "runs/log-inputs",
                Map.of(
                        "run_id",
                        "RUN",
                        "datasets",
                        List.of(Map.of("dataset", Map.of("name", "d", "digest", "x", "source_type", "local")))));
        POST_ROUTES.put(m + "runs/set-tag", Map.of("run_id", "RUN", "key", "k", "value", "v"));
        POST_ROUTES.put(m + "runs/delete-tag", Map.of("run_id", "RUN", "key", "k"));
        POST_ROUTES.put(m + "registered-models/create", Map.of("name", "fuzz-model"));
        POST_ROUTES.put(m + "registered-models/rename", Map.of("name", "fraud", "new_name", "fraud2"));
        POST_ROUTES.put(
                m + "registered-models/get-latest-versions", Map.of("name", "fraud", "stages", List.of("None")));
        POST_ROUTES.put(m + "registered-models/set-tag", Map.of("name", "fraud", "key", "k", "value", "v"));
        POST_ROUTES.put(m + "registered-models/alias", Map.of("name", "fraud", "alias", "champ", "version", "1"));
        POST_ROUTES.put(m + "model-versions/create", Map.of("name", "fraud", "source", "runs:/RUN/model"));
        POST_ROUTES.put(
                m + "model-versions/transition-stage", Map.of("name", "fraud", "version", "1", "stage", "Staging"));
        POST_ROUTES.put(
                m + "model-versions/set-tag", Map.of("name", "fraud", "version", "1", "key", "k", "value", "v"));
        POST_ROUTES.put(m + "users/create", Map.of("username", "u", "password", "p"));
        POST_ROUTES.put(
                m + "experiments/permissions/create",
                Map.of("experiment_id", "0", "username", "u", "permission", "READ"));
        POST_ROUTES.put(
                m + "registered-models/permissions/create",
                Map.of("name", "fraud", "username", "u", "permission", "READ"));
        POST_ROUTES.put(m + "webhooks", Map.of("name", "w", "url", "https://hooks.example.com/x", "events", List.of()));
        POST_ROUTES.put("/api/2.0/axle/tokens", Map.of("name", "t"));
        POST_ROUTES.put("/api/2.0/axle/tokens/revoke", Map.of("id", "x"));
        POST_ROUTES.put(
                "/api/2.0/axle/webhooks",
                Map.of(
                        "name",
                        "w",
                        "url",
                        "https://hooks.example.com/x",
                        "event_types",
                        List.of("MODEL_VERSION_CREATED")));
        POST_ROUTES.put("/api/2.0/axle/webhooks/deliveries/1/redeliver", Map.of());
        POST_ROUTES.put("/api/2.0/axle/webhooks/nope/test", Map.of());
        POST_ROUTES.put("/api/2.0/axle/deployments", Map.of("name", "d", "model", "fraud", "version", "1"));
        POST_ROUTES.put("/api/2.0/axle/deployments/d/rollback", Map.of());
        POST_ROUTES.put("/api/2.0/axle/deployments/d/retry", Map.of());
        POST_ROUTES.put("/api/2.0/axle/registry/import", Map.of("name", "fraud", "versions", List.of()));
        POST_ROUTES.put("/api/2.0/axle/registry/orphans/delete", Map.of("dry_run", true));
    }

    @TempDir
    static Path data;

    static TestServer server;
    static String runId;

    @BeforeAll
    static void start() {
        System.out.println("FuzzTest seed " + SEED + " (replay with -Daxle.fuzz.seed=" + SEED + ")");
        server = TestServer.start(Dialect.H2, data);
        ApiClient api = server.client();
        runId = api.post("runs/create", Map.of("experiment_id", "0"))
                .json()
                .path("run")
                .path("info")
                .path("run_id")
                .asText();
        api.post("registered-models/create", Map.of("name", "fraud"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSearchLanguageFailsOnlyWithClientErrors() {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        seeds.addAll(RUN_FILTERS);
        seeds.addAll(EXPERIMENT_FILTERS);
        seeds.addAll(MODEL_FILTERS);
        seeds.addAll(VERSION_FILTERS);
        for (int i = 0; i < 600; i++) {
            String filter = mutate(random, pick(random, seeds));
            parse(failures, "filter", filter, Filter::parse);
            String orderBy = mutate(random, pick(random, ORDER_BYS));
            parse(failures, "order_by", orderBy, OrderBy::parse);
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    @Test
    void searchesForEveryEntityAnswerRandomFiltersWithoutServerErrors() {
        Random random = new Random(SEED + 1);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String runs = mutate(random, pick(random, RUN_FILTERS));
            String order = mutate(random, pick(random, ORDER_BYS));
            check(
                    failures,
                    () -> post(
                            "/api/2.0/mlflow/runs/search",
                            body(Map.of("experiment_ids", List.of("0"), "filter", runs, "order_by", List.of(order)))),
                    runs + " / " + order);
            String experiments = mutate(random, pick(random, EXPERIMENT_FILTERS));
            check(
                    failures,
                    () -> post("/api/2.0/mlflow/experiments/search", body(Map.of("filter", experiments))),
                    experiments);
            String models = mutate(random, pick(random, MODEL_FILTERS));
            check(failures, () -> get("/api/2.0/mlflow/registered-models/search?filter=" + encode(models)), models);
            String versions = mutate(random, pick(random, VERSION_FILTERS));
            check(failures, () -> get("/api/2.0/mlflow/model-versions/search?filter=" + encode(versions)), versions);
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    @Test
    void everyPostRouteAnswersRandomBodiesWithoutServerErrors() {
        Random random = new Random(SEED + 2);
        List<String> failures = new ArrayList<>();
        List<String> routes = new ArrayList<>(POST_ROUTES.keySet());
        for (int i = 0; i < 800; i++) {
            String route = routes.get(i % routes.size());
            byte[] body = randomBody(random, POST_ROUTES.get(route));
            check(
                    failures,
                    () -> post(route, body),
                    route + " " + new String(body, 0, Math.min(body.length, 300), UTF_8));
        }
        assertThat(failures).as("seed " + SEED).isEmpty();
    }

    private static void parse(List<String> failures, String what, String text, Function<String, ?> parser) {
        try {
            parser.apply(text);
        } catch (AxleException e) {
            int status = e.errorCode().httpStatus();
            if (status < 400 || status >= 500) {
                failures.add(what + " " + quote(text) + ": " + e.errorCode() + " " + e.getMessage());
            }
        } catch (RuntimeException | StackOverflowError e) {
            failures.add(what + " " + quote(text) + ": " + e);
        }
    }

    private static void check(List<String> failures, Supplier<HttpResponse<String>> request, String input) {
        HttpResponse<String> response;
        try {
            response = request.get();
        } catch (java.io.UncheckedIOException e) {
            failures.add("no answer (" + e.getCause().getMessage() + ") for " + quote(input));
            return;
        }
        if (response.statusCode() >= 500) {
            failures.add(response.statusCode() + " for " + quote(input) + ": " + response.body());
        }
    }

    private static String mutate(Random random, String seed) {
        StringBuilder text = new StringBuilder(seed);
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> text.insert(at, pick(random, TOKENS));
                case 3 -> {
                    int end = Math.min(text.length(), at + 1 + random.nextInt(6));
                    text.delete(Math.min(at, end), end);
                }
                case 4 -> text.insert(at, (char) random.nextInt(0x3000));
                case 5 -> {
                    int depth = random.nextInt(2000);
                    text.insert(0, "(".repeat(depth)).append(")".repeat(random.nextInt(depth + 1)));
                }
                case 6 -> text.insert(at, "'" + "x".repeat(random.nextInt(100_000)) + "'");
                default -> text.insert(at, Long.toString(random.nextLong()) + "." + random.nextInt());
            }
        }
        return text.toString();
    }

    private byte[] randomBody(Random random, Map<String, Object> valid) {
        return switch (random.nextInt(10)) {
            case 0 -> randomBytes(random);
            case 1 -> ("[".repeat(random.nextInt(5000)) + "1").getBytes(UTF_8);
            case 2 -> body(randomValue(random, 0));
            default -> {
                Map<String, Object> fields = new LinkedHashMap<>(valid);
                fields.replaceAll((key, value) -> value.equals("RUN") ? runId : value);
                List<String> keys = new ArrayList<>(fields.keySet());
                int changes = 1 + random.nextInt(3);
                for (int i = 0; i < changes && !keys.isEmpty(); i++) {
                    String key = pick(random, keys);
                    switch (random.nextInt(3)) {
                        case 0 -> fields.remove(key);
                        case 1 -> fields.put(key, randomValue(random, 0));
                        default -> fields.put(pick(random, TOKENS) + key, randomValue(random, 0));
                    }
                }
                byte[] json = body(fields);
                yield random.nextInt(8) == 0 ? java.util.Arrays.copyOf(json, random.nextInt(json.length + 1)) : json;
            }
        };
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        byte[] wrapped = new byte[bytes.length + 12];
        System.arraycopy("{\"name\": \"".getBytes(UTF_8), 0, wrapped, 0, 10);
        System.arraycopy(bytes, 0, wrapped, 10, bytes.length);
        wrapped[wrapped.length - 2] = '"';
        wrapped[wrapped.length - 1] = '}';
        return random.nextBoolean() ? wrapped : bytes;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 9 : 11);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3 -> random.nextInt(3) - 1;
            case 4 -> random.nextBoolean() ? Double.MAX_VALUE : -random.nextDouble() * 1e300;
            case 5 -> "";
            case 6 -> pick(random, TOKENS);
            case 7 -> "x".repeat(random.nextInt(200_000));
            case 8 -> new java.math.BigInteger(200, random).toString();
            case 9 -> {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    object.put(
                            pick(random, List.of("key", "value", "name", "step", "timestamp", "")),
                            randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static byte[] body(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }

    private static String quote(String text) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
        return "'" + shown + "'";
    }

    private static HttpResponse<String> post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> get(String pathAndQuery) {
        return send(
                HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery)).GET());
    }

    // a connection the server closed after refusing a body unread can be picked from the pool once: one retry on a
    // fresh connection tells that apart from a server that does not answer
    private static HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            try {
                return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
