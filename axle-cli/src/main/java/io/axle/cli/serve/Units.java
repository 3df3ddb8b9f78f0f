package io.axle.cli.serve;

import io.axle.common.AxleException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations ({@code 5ms}, {@code 10s}, {@code 2m}, ISO {@code PT10S}) and sizes ({@code 8GiB}, {@code 512M}) as typed. */
final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)");

    private Units() {}

    static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw AxleException.invalidParameter(
                    "'" + text + "' is not a duration: write it as 500ms, 10s, 2m, 1h or PT10S");
        }
    }

    /** Bytes: a plain number, or with K/M/G/T (powers of 1024 with or without the i: GPU memory is counted so). */
    static long bytes(String text) {
        Matcher matcher = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw AxleException.invalidParameter(
                    "'" + text + "' is not a size: write it as bytes, or as 512MiB, 8GiB, 8G");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long amount = Long.parseLong(matcher.group(1));
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw AxleException.invalidParameter("'" + text + "' is more bytes than can be counted");
        }
        return amount << shift;
    }

    /** {@code --max-batch-delay 5ms}: picocli's conversion, so a bad value is a one-line usage error. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (AxleException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return bytes(value);
            } catch (AxleException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
