package io.axle.gpu.placement;

import io.axle.common.AxleException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory in bytes, as written on a command line or in a CSV file. Units follow Kubernetes: {@code Ki Mi
 * Gi Ti} and {@code KiB MiB GiB TiB} are binary (1 GiB = 2^30 bytes); {@code K M G T} and {@code KB MB GB TB} are
 * decimal (1 G = 10^9 bytes), exactly as a pod's {@code memory: 6G} means; {@code B} or a bare number is bytes. Units
 * are case-insensitive and a fraction is allowed ({@code 1.5GiB}).
 */
public record ByteSize(long bytes) {
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;
    public static final long TIB = 1024L * GIB;

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L),
            Map.entry("b", 1L),
            Map.entry("ki", KIB),
            Map.entry("kib", KIB),
            Map.entry("mi", MIB),
            Map.entry("mib", MIB),
            Map.entry("gi", GIB),
            Map.entry("gib", GIB),
            Map.entry("ti", TIB),
            Map.entry("tib", TIB),
            Map.entry("k", 1_000L),
            Map.entry("kb", 1_000L),
            Map.entry("m", 1_000_000L),
            Map.entry("mb", 1_000_000L),
            Map.entry("g", 1_000_000_000L),
            Map.entry("gb", 1_000_000_000L),
            Map.entry("t", 1_000_000_000_000L),
            Map.entry("tb", 1_000_000_000_000L));

    public ByteSize {
        if (bytes < 0) {
            throw AxleException.invalidParameter("A memory size cannot be negative: " + bytes + " bytes");
        }
    }

    public static ByteSize ofGiB(double gib) {
        return new ByteSize(Math.round(gib * GIB));
    }

    /** Parses {@code 4GiB}, {@code 6G}, {@code 512Mi}, {@code 1.5 GiB} or {@code 1048576}. */
    public static ByteSize parse(String text) {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw AxleException.invalidParameter("'" + text + "' is not a memory size: write a number and a unit, "
                    + "e.g. 4GiB, 512MiB, 6G (10^9 bytes) or 6Gi (2^30 bytes)");
        }
        Long unit = UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw AxleException.invalidParameter("'" + text + "' has an unknown unit '" + matcher.group(2)
                    + "': use B, KiB, MiB, GiB, TiB (binary), KB, MB, GB, TB (decimal) or Ki, Mi, Gi, K, M, G");
        }
        BigDecimal value = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit));
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw AxleException.invalidParameter("'" + text + "' is too large a memory size");
        }
        return new ByteSize(value.longValue());
    }

    /** {@code 79.2 GiB}, {@code 512.0 MiB} or {@code 100 B}: what people read off nvidia-smi. */
    public static String format(long bytes) {
        long magnitude = Math.abs(bytes);
        if (magnitude >= GIB) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
        }
        if (magnitude >= MIB) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
        }
        if (magnitude >= KIB) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
        }
        return bytes + " B";
    }

    @Override
    public String toString() {
        return format(bytes);
    }
}
