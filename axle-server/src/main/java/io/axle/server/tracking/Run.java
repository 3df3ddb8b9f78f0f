package io.axle.server.tracking;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A run with its latest metrics, params, tags and dataset inputs. */
public record Run(RunInfo info, Data data, Inputs inputs) {
    public Run {
        requireNonNull(info, "info is null");
        requireNonNull(data, "data is null");
        requireNonNull(inputs, "inputs is null");
    }

    public record Data(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        public Data {
            metrics = List.copyOf(metrics);
            params = List.copyOf(params);
            tags = List.copyOf(tags);
        }
    }

    public record Inputs(List<DatasetInput> datasetInputs) {
        public Inputs {
            datasetInputs = List.copyOf(datasetInputs);
        }
    }
}
