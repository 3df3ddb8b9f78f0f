package io.axle.serving;

import java.util.Optional;

/** A tensor's element type, named as the Open Inference Protocol v2 names it. */
public enum DataType {
    FP32,
    FP64,
    INT32,
    INT64,
    BOOL,
    BYTES;

    /** The protocol's name ({@code "FP32"}), as it appears in requests, responses and metadata. */
    public String oipName() {
        return name();
    }

    public static Optional<DataType> fromOipName(String name) {
        for (DataType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
