package io.axle.gpu.simulate;

import io.axle.common.AxleException;
import io.axle.gpu.placement.ByteSize;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPUs a simulation places on, all of one size: {@code 8x80GiB} is a fixed fleet of eight, where a replica that
 * finds no room is a placement failure; {@code 80GiB} alone is a fleet that grows by one GPU whenever a policy wants
 * another, so that the number it ends with is the number of GPUs the policy needs.
 */
public record Fleet(OptionalInt count, long gpuBytes) {
    private static final Pattern FIXED = Pattern.compile("\\s*(\\d+)\\s*[xX×]\\s*(.+)");

    public Fleet {
        if (count.isPresent() && count.getAsInt() < 1) {
            throw AxleException.invalidParameter("A fleet needs at least one GPU, not " + count.getAsInt());
        }
        if (gpuBytes < 1) {
            throw AxleException.invalidParameter("A GPU needs some memory, not " + gpuBytes + " bytes");
        }
    }

    /** {@code 8x80GiB} or {@code 80GiB}. */
    public static Fleet parse(String text) {
        Matcher fixed = FIXED.matcher(text);
        OptionalInt count;
        long gpuBytes;
        try {
            count = fixed.matches() ? OptionalInt.of(Integer.parseInt(fixed.group(1))) : OptionalInt.empty();
            gpuBytes = ByteSize.parse(fixed.matches() ? fixed.group(2) : text).bytes();
        } catch (NumberFormatException | AxleException e) {
            throw AxleException.invalidParameter("'" + text + "' is not a fleet: write COUNTxSIZE for a fixed fleet "
                    + "(8x80GiB) or SIZE for one that grows as needed (80GiB)");
        }
        return new Fleet(count, gpuBytes);
    }

    public boolean grows() {
        return count.isEmpty();
    }

    @Override
    public String toString() {
        return (count.isPresent() ? count.getAsInt() + " × " : "as many as needed × ") + ByteSize.format(gpuBytes);
    }
}
