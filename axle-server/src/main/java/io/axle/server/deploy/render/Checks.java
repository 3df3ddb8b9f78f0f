package io.axle.server.deploy.render;

import io.axle.common.AxleException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** The validation rules the deployment records share: Kubernetes names, label values and quantities. */
final class Checks {
    static final long MIB = 1024L * 1024L;
    static final long GIB = 1024L * MIB;
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private Checks() {}

    /** A Service name must be an RFC 1035 label, so a deployment name is one too. */
    static String dns1035Label(String what, String value) {
        if (value.length() > 63 || !DNS_1035_LABEL.matcher(value).matches()) {
            throw AxleException.invalidParameter(
                    what + " '" + value + "' is not a valid name: use at most 63 lower-case"
                            + " letters, digits and '-', starting with a letter and ending with a letter or digit (RFC 1035)");
        }
        return value;
    }

    static String dns1123Label(String what, String value) {
        if (value.length() > 63 || !DNS_1123_LABEL.matcher(value).matches()) {
            throw AxleException.invalidParameter(
                    what + " '" + value + "' is not a valid name: use at most 63 lower-case"
                            + " letters, digits and '-', starting and ending with a letter or digit (RFC 1123)");
        }
        return value;
    }

    static String dns1123Subdomain(String what, String value) {
        if (value.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(value).matches()) {
            throw AxleException.invalidParameter(what + " '" + value + "' is not a valid DNS name: use lower-case"
                    + " letters, digits, '-' and '.', at most 253 characters (RFC 1123)");
        }
        return value;
    }

    static String labelValue(String what, String value) {
        if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw AxleException.invalidParameter(
                    what + " '" + value + "' cannot be a Kubernetes label value: use at most"
                            + " 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        return value;
    }

    static String environmentVariableName(String value) {
        if (!ENV_NAME.matcher(value).matches()) {
            throw AxleException.invalidParameter("Environment variable name '" + value + "' is not valid: use letters,"
                    + " digits, '_', '-' and '.', not starting with a digit");
        }
        return value;
    }

    /** Parses a Kubernetes quantity ({@code 500m}, {@code 2}, {@code 4Gi}) and returns it as written. */
    static Quantity quantity(String what, String value) {
        try {
            Quantity quantity = Quantity.parse(value);
            if (quantity.getNumericalAmount().signum() <= 0) {
                throw AxleException.invalidParameter(what + " must be more than zero, not '" + value + "'");
            }
            return new Quantity(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw AxleException.invalidParameter(what + " '" + value
                    + "' is not a Kubernetes quantity: write e.g. 500m or 2 for CPU, 512Mi or 4Gi" + " for memory");
        }
    }

    static BigDecimal amount(Quantity quantity) {
        return quantity.getNumericalAmount();
    }

    static int positive(String what, int value) {
        if (value < 1) {
            throw AxleException.invalidParameter(what + " must be at least 1, not " + value);
        }
        return value;
    }

    /** Bytes of a GPU memory quantity; fractions of a byte round up. */
    static long gpuMemoryBytes(String what, String memory) {
        Quantity quantity = quantity(what, memory);
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(quantity).setScale(0, RoundingMode.CEILING);
            if (bytes.compareTo(BigDecimal.valueOf(MIB)) < 0) {
                throw AxleException.invalidParameter(what + " '" + memory + "' is under 1Mi: write e.g. 512Mi or 4Gi");
            }
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw AxleException.invalidParameter(what + " '" + memory + "' is too large");
        }
    }

    /** A byte count as the model server's {@code --gpu-memory-limit} reads it: whole GiB, whole MiB or bytes. */
    static String commandLineSize(long bytes) {
        if (bytes % GIB == 0) {
            return bytes / GIB + "Gi";
        }
        if (bytes % MIB == 0) {
            return bytes / MIB + "Mi";
        }
        return Long.toString(bytes);
    }
}
