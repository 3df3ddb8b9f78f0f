package io.axle.server.http;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one caller may send: the largest API request body, and how many state-changing requests per second.
 *
 * @param maxRequestBytes the largest JSON API body; artifact uploads stream and are not limited by it
 * @param writesPerSecond state-changing requests per second and caller, with a burst of one second's worth; empty
 *     turns the limit off
 */
public record HttpLimits(long maxRequestBytes, Optional<Double> writesPerSecond) {
    /** As MLflow's clients expect: API messages of up to 1 MiB. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = Requests.MAX_BODY_BYTES;

    /**
     * What {@code axle server} allows each caller by default: a ceiling for a runaway script, far above what a
     * training job logs (an MLflow client retries a 429 after its Retry-After).
     */
    public static final String DEFAULT_WRITE_RATE = "1000/s";

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|sec|second|m|min|minute))?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    public HttpLimits {
        requireNonNull(writesPerSecond, "writesPerSecond is null");
        if (maxRequestBytes < 1024) {
            throw AxleException.invalidParameter("A request size limit of " + maxRequestBytes
                    + " bytes is too small: API messages need at least 1024 bytes (e.g. --max-request-size 16MiB).");
        }
        if (writesPerSecond.isPresent() && !(writesPerSecond.get() > 0)) {
            throw AxleException.invalidParameter(
                    "A write rate limit must be above 0 per second; use 'off' to turn " + "it off.");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_MAX_REQUEST_BYTES, parseRate(DEFAULT_WRITE_RATE));
    }

    /** No write rate limit, as for tests that send many requests quickly. */
    public HttpLimits withoutWriteLimit() {
        return new HttpLimits(maxRequestBytes, Optional.empty());
    }

    public HttpLimits withWriteRate(String rate) {
        return new HttpLimits(maxRequestBytes, parseRate(rate));
    }

    public HttpLimits withMaxRequestBytes(long bytes) {
        return new HttpLimits(bytes, writesPerSecond);
    }

    /** {@code 100/s}, {@code 600/min}, a bare number (per second), or {@code 0} / {@code off} for no limit. */
    public static Optional<Double> parseRate(String text) {
        String trimmed = requireNonNull(text, "text is null").strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("off") || trimmed.equals("0") || trimmed.equals("0/s") || trimmed.equals("0/min")) {
            return Optional.empty();
        }
        Matcher matcher = RATE.matcher(trimmed);
        if (!matcher.matches()) {
            throw AxleException.invalidParameter("Write rate limit '" + text
                    + "' is not a rate: write e.g. 100/s or 600/min, or off to turn it off.");
        }
        double count = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2);
        double perSecond = unit == null || unit.startsWith("s") ? count : count / 60.0;
        return perSecond > 0 ? Optional.of(perSecond) : Optional.empty();
    }

    /** {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GiB} (K, M and G count in 1024s). */
    public static long parseSize(String text) {
        String trimmed = requireNonNull(text, "text is null").strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SIZE.matcher(trimmed);
        if (!matcher.matches() || matcher.group(1).length() > 15) {
            throw AxleException.invalidParameter(
                    "Request size '" + text + "' is not a size: write e.g. 1048576, 512KiB or 16MiB.");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        long scale = switch (unit.charAt(0)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Math.multiplyExact(number, scale);
    }
}
