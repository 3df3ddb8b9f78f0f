package io.axle.server.webhooks;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The guard against server-side request forgery: an endpoint whose host resolves to a loopback, link-local, private,
 * unique-local, multicast or unspecified address is refused unless the operator allow-listed that host or address.
 */
final class AddressGuard {
    private final List<Block> allowedBlocks;
    private final List<String> allowedHosts;

    private AddressGuard(List<Block> allowedBlocks, List<String> allowedHosts) {
        this.allowedBlocks = List.copyOf(allowedBlocks);
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    /** Entries are host names, IP addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}). */
    static AddressGuard parse(List<String> allowList) {
        List<Block> blocks = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String raw : allowList) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/")) {
                blocks.add(Block.parse(entry));
            } else if (isLiteralAddress(entry)) {
                blocks.add(Block.parse(entry + (entry.contains(":") ? "/128" : "/32")));
            } else {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            }
        }
        return new AddressGuard(blocks, hosts);
    }

    /** The endpoint's addresses when it may be called; refuses a URL that is not http(s) or reaches inside. */
    List<InetAddress> check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw AxleException.invalidParameter(
                    "Webhook URL '" + url + "' is not an http:// or https:// URL with a host.");
        }
        String host = url.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|]$", "");
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw AxleException.invalidParameter("Webhook URL host '" + host + "' does not resolve.");
        }
        if (allowedHosts.contains(host)) {
            return List.of(addresses);
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && allowedBlocks.stream().noneMatch(block -> block.contains(address))) {
                throw AxleException.invalidParameter("Webhook URL host '" + host + "' resolves to the internal address "
                        + address.getHostAddress() + ", which webhooks may not reach. An operator can allow it with "
                        + "axle server --webhook-allow-private " + host + " (or the address or its CIDR block).");
            }
        }
        return List.of(addresses);
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()
                || address.isAnyLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 0.0.0.0/8 "this network", 100.64.0.0/10 carrier-grade NAT
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7 unique-local; ::ffff:a.b.c.d mapped addresses are judged as the IPv4 address they carry
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            if (isMappedIpv4(bytes)) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return false;
    }

    private static boolean isMappedIpv4(byte[] bytes) {
        for (int index = 0; index < 10; index++) {
            if (bytes[index] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
    }

    private static boolean isLiteralAddress(String entry) {
        return entry.contains(":") || entry.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private record Block(byte[] network, int prefixLength) {
        Block {
            requireNonNull(network, "network is null");
        }

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = cidr.substring(0, slash).replaceAll("^\\[|]$", "");
            int prefix;
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(cidr);
            }
            if (!isLiteralAddress(address)) {
                throw invalid(cidr);
            }
            byte[] network;
            try {
                network = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw invalid(cidr);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw invalid(cidr);
            }
            return new Block(network, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        private static AxleException invalid(String cidr) {
            return AxleException.invalidParameter(
                    "'" + cidr + "' is not a CIDR block for --webhook-allow-private: use e.g. 10.0.0.0/8 or fd00::/8.");
        }
    }
}
