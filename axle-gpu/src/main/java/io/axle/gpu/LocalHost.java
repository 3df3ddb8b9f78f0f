package io.axle.gpu;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** The name of this host as snapshots record it. */
public final class LocalHost {
    private LocalHost() {}

    /** The resolver's name for this host, else {@code $HOSTNAME}, else {@code localhost}. */
    public static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME"))
                    .filter(name -> !name.isBlank())
                    .orElse("localhost");
        }
    }
}
