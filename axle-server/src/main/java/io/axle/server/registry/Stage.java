package io.axle.server.registry;

import io.axle.common.AxleException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** MLflow's model version stages, named as MLflow writes them and read in any case. */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String text;

    Stage(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Stage parse(String text) {
        for (Stage stage : values()) {
            if (stage.text.equalsIgnoreCase(text.strip())) {
                return stage;
            }
        }
        throw AxleException.invalidParameter("Invalid Model Version stage: " + text + ". Value must be one of "
                + Arrays.stream(values()).map(Stage::text).collect(Collectors.joining(", ")) + ".");
    }

    /** Whether {@code text} names a stage (in any case), as in {@code models:/name/Production}. */
    static boolean isStage(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .anyMatch(stage -> stage.text.toLowerCase(Locale.ROOT).equals(lower));
    }
}
