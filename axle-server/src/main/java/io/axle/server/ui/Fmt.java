package io.axle.server.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Formatting the templates share: times, sizes, numbers and URL parts. */
public final class Fmt {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Fmt() {}

    /** Epoch milliseconds as a UTC date and time; an empty string for 0 or less (never set). */
    public static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Epoch milliseconds in ISO-8601, for a {@code <time datetime>} attribute. */
    public static String iso(long epochMillis) {
        return epochMillis <= 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** How long ago, from {@code now}: "3 min ago", "2 h ago", "5 d ago". */
    public static String ago(long epochMillis, long nowMillis) {
        if (epochMillis <= 0) {
            return "";
        }
        long seconds = Math.max(0, (nowMillis - epochMillis) / 1000);
        if (seconds < 10) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " d ago";
    }

    /** A duration in milliseconds, shortly: "850 ms", "12.4 s", "3.2 min", "1.5 h". */
    public static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 3_600_000) {
            return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
        }
        return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000.0);
    }

    /** Bytes in binary units, as nvidia-smi and Kubernetes write them: "512 B", "1.5 KiB", "80.0 GiB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A metric value: integers as written, others with up to six significant digits. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value).replaceFirst("\\.?0+(e|$)", "$1");
    }

    /** A percentage of {@code part} in {@code whole}, 0 to 100, for bars; 0 when {@code whole} is not positive. */
    public static double percent(double part, double whole) {
        return whole <= 0 ? 0 : Math.max(0, Math.min(100, 100.0 * part / whole));
    }

    /** One path segment, percent-encoded: a model named "fraud v2" links to {@code /models/fraud%20v2}. */
    public static String seg(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string value, percent-encoded. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code path} with the non-empty {@code params} as a query string, in their order. */
    public static String url(String path, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((key, value) -> {
            if (value != null && !value.isEmpty()) {
                query.add(q(key) + "=" + q(value));
            }
        });
        return query.length() == 0 ? path : path + "?" + query;
    }

    /** The first eight characters of an ID (run IDs are 32), as MLflow's UI shortens them. */
    public static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
