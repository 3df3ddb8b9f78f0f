package io.axle.serving.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram: lock-free observations, cumulative buckets written at scrape time. */
final class Histogram {
    private final double[] upperBounds;
    // one per bound, then one for values above the last bound
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] upperBounds) {
        this.upperBounds = upperBounds.clone();
        for (int index = 1; index < this.upperBounds.length; index++) {
            if (!(this.upperBounds[index - 1] < this.upperBounds[index])) {
                throw new IllegalArgumentException("bucket bounds must rise: " + Arrays.toString(upperBounds));
            }
        }
        this.counts = new LongAdder[this.upperBounds.length + 1];
        Arrays.setAll(counts, index -> new LongAdder());
    }

    void observe(double value) {
        int index = Arrays.binarySearch(upperBounds, value);
        // a value equal to a bound belongs to that bound's bucket (le = less or equal)
        counts[index >= 0 ? index : -index - 1].increment();
        sum.add(value);
    }

    /** Appends {@code name_bucket}, {@code name_sum} and {@code name_count} lines; {@code labels} may be empty. */
    void write(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        for (int index = 0; index < upperBounds.length; index++) {
            cumulative += counts[index].sum();
            writeBucket(out, name, labels, Exposition.number(upperBounds[index]), cumulative);
        }
        cumulative += counts[upperBounds.length].sum();
        writeBucket(out, name, labels, "+Inf", cumulative);
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name)
                .append("_sum")
                .append(braces)
                .append(' ')
                .append(Exposition.number(sum.sum()))
                .append('\n');
        out.append(name)
                .append("_count")
                .append(braces)
                .append(' ')
                .append(cumulative)
                .append('\n');
    }

    private static void writeBucket(StringBuilder out, String name, String labels, String bound, long count) {
        out.append(name).append("_bucket{");
        if (!labels.isEmpty()) {
            out.append(labels).append(',');
        }
        out.append("le=\"").append(bound).append("\"} ").append(count).append('\n');
    }
}
