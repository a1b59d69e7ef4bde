package io.nuthatch.server.network;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the bind directive, with the host names to try for it in order.
 *
 * @param hosts    addresses to bind, tried in order until one works
 * @param optional whether failing to bind it is not fatal (a leading "-")
 * @param written  the entry as configured, for messages
 */
record BindAddress(List<String> hosts, boolean optional, String written) {

    static List<BindAddress> resolve(List<String> configured) {
        List<BindAddress> addresses = new ArrayList<>();
        boolean anyIpv4 = false;
        boolean anyIpv6 = false;
        for (String entry : configured) {
            String bare = entry.startsWith("-") ? entry.substring(1) : entry;
            anyIpv4 |= bare.equals("*") || bare.equals("0.0.0.0");
            anyIpv6 |= bare.equals("::*") || bare.equals("::");
        }
        for (String entry : configured) {
            boolean optional = entry.startsWith("-");
            String bare = optional ? entry.substring(1) : entry;
            boolean ipv4Wildcard = bare.equals("*") || bare.equals("0.0.0.0");
            boolean ipv6Wildcard = bare.equals("::*") || bare.equals("::");
            if (ipv4Wildcard && anyIpv6) {
                // A dual-stack IPv6 socket serves IPv4 too; fall back to IPv4 alone without IPv6.
                addresses.add(new BindAddress(List.of("::", "0.0.0.0"), optional, entry));
            } else if (ipv6Wildcard && anyIpv4) {
                continue;
            } else if (ipv4Wildcard) {
                addresses.add(new BindAddress(List.of("0.0.0.0"), optional, entry));
            } else if (ipv6Wildcard) {
                addresses.add(new BindAddress(List.of("::"), optional, entry));
            } else {
                addresses.add(new BindAddress(List.of(bare), optional, entry));
            }
        }
        return addresses;
    }

    @Override
    public String toString() {
        return written;
    }
}
