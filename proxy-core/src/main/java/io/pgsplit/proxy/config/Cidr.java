package io.pgsplit.proxy.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** An address range such as {@code 10.0.0.0/8} or {@code ::1/128}, as pg_hba.conf writes it. */
public record Cidr(byte[] network, int prefixLength) {
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    public Cidr {
        network = network.clone();
    }

    /** Parses an IP literal with a prefix length; the host part must be zero, as PostgreSQL requires. */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("must be an address range like 127.0.0.1/32 or ::1/128 (got '" + text + "')");
        }
        String address = trimmed.substring(0, slash);
        if (!LITERAL.matcher(address).matches()) {
            throw new IllegalArgumentException("must be an IP address, not a host name (got '" + text + "')");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // an IP literal: nothing is resolved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is not an IP address (got '" + text + "')");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has an invalid prefix length (got '" + text + "')");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("has a prefix length out of range (got '" + text + "')");
        }
        Cidr cidr = new Cidr(bytes, prefix);
        if (!cidr.contains(bytes) || !Arrays.equals(cidr.masked(bytes), bytes)) {
            throw new IllegalArgumentException("has bits set to the right of the prefix (got '" + text + "')");
        }
        return cidr;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    private boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(masked(address), network);
    }

    private byte[] masked(byte[] address) {
        byte[] result = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
            result[i] = (byte) (address[i] & (0xFF << (8 - bits)));
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefixLength == prefixLength && Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
