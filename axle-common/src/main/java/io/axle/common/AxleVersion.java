package io.axle.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version this build of Axle calls itself. */
public final class AxleVersion {
    private static final String CURRENT = load();

    private AxleVersion() {}

    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = AxleVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
