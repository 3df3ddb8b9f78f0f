package io.axle.cli.gpu;

import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import io.axle.gpu.placement.PlacementPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads sizes, policies and durations off the command line; a bad value is a usage error (exit 2). */
final class GpuOptionConverters {
    private GpuOptionConverters() {}

    static final class Size implements CommandLine.ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            try {
                return ByteSize.parse(value);
            } catch (AxleException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Policy implements CommandLine.ITypeConverter<PlacementPolicy> {
        @Override
        public PlacementPolicy convert(String value) {
            try {
                return PlacementPolicy.fromCliName(value);
            } catch (AxleException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 90s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT2M}. */
    static final class Ttl implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher matcher = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
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
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration: write e.g. 90s, 2m, 1h or PT2M");
            }
        }
    }
}
