package io.axle.server.tracking;

import io.axle.server.http.RequestMessage;
import java.util.List;
import java.util.Optional;

/** Reads the tracking API's shared request shapes: tags, metrics, params, view types. */
final class TrackingRequests {
    private TrackingRequests() {}

    static List<Tag> tags(RequestMessage request, String field) {
        return request.messages(field).stream()
                .map(tag ->
                        new Tag(tag.requiredString("key"), tag.string("value").orElse("")))
                .toList();
    }

    static List<Param> params(RequestMessage request, String field) {
        return request.messages(field).stream()
                .map(param -> new Param(
                        param.requiredString("key"), param.string("value").orElse("")))
                .toList();
    }

    static List<Metric> metrics(RequestMessage request, String field) {
        return request.messages(field).stream().map(TrackingRequests::metric).toList();
    }

    static Metric metric(RequestMessage metric) {
        return new Metric(
                metric.requiredString("key"),
                metric.requiredDouble("value"),
                metric.requiredInt64("timestamp"),
                metric.int64("step").orElse(0L));
    }

    static List<DatasetInput> datasetInputs(RequestMessage request, String field) {
        return request.messages(field).stream()
                .map(input -> new DatasetInput(tags(input, "tags"), dataset(input.requiredMessage("dataset"))))
                .toList();
    }

    private static Dataset dataset(RequestMessage dataset) {
        return new Dataset(
                dataset.requiredString("name"),
                dataset.requiredString("digest"),
                dataset.requiredString("source_type"),
                dataset.requiredString("source"),
                dataset.string("schema").filter(text -> !text.isEmpty()),
                dataset.string("profile").filter(text -> !text.isEmpty()));
    }

    /** The run id, under its current name or the {@code run_uuid} older clients still send. */
    static String runId(RequestMessage request) {
        return request.string("run_id")
                .filter(id -> !id.isEmpty())
                .or(() -> request.string("run_uuid").filter(id -> !id.isEmpty()))
                .orElseGet(() -> request.requiredString("run_id"));
    }

    static ViewType viewType(RequestMessage request, String field) {
        Optional<String> value = request.enumText(field).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return ViewType.ACTIVE_ONLY;
        }
        String text = value.get();
        // protobuf enums may also arrive as their numbers
        return switch (text) {
            case "1" -> ViewType.ACTIVE_ONLY;
            case "2" -> ViewType.DELETED_ONLY;
            case "3" -> ViewType.ALL;
            default -> ViewType.parse(text);
        };
    }
}
