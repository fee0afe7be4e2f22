package io.pgsplit.protocol.startup;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.WireMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Opens a session: protocol version plus name/value parameters (user, database, options, GUCs...).
 * Parameters keep their wire order because the proxy replays them to the server it picks.
 */
public record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters)
        implements StartupPacket, WireMessage {

    /** Parameters with this prefix are protocol extension options, answered with NegotiateProtocolVersion. */
    public static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

    public StartupMessage {
        if ((majorVersion & ~0xFFFF) != 0 || (minorVersion & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("protocol version parts are 16 bits: " + majorVersion + "." + minorVersion);
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("an empty parameter name would end the list on the wire");
            }
            copy.put(name, Objects.requireNonNull(value, name));
        });
        parameters = Collections.unmodifiableMap(copy);
    }

    /** A protocol 3.0 startup message, the only version the proxy sends to servers. */
    public static StartupMessage v3(Map<String, String> params) {
        return new StartupMessage(3, 0, params);
    }

    /** The role to log in as, or null when the client sent none (PostgreSQL refuses that with 28000). */
    public String user() {
        return parameters.get("user");
    }

    /** The database, defaulting to the user name when absent or empty, as PostgreSQL does. */
    public String database() {
        String database = parameters.get("database");
        return database == null || database.isEmpty() ? user() : database;
    }

    /** Names of the "_pq_." options, which a server that does not know them must list in NegotiateProtocolVersion. */
    public List<String> protocolOptions() {
        List<String> options = new ArrayList<>();
        for (String name : parameters.keySet()) {
            if (name.startsWith(PROTOCOL_OPTION_PREFIX)) {
                options.add(name);
            }
        }
        return options;
    }

    @Override
    public int encodedLength() {
        int length = 4 + 4 + 1;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            length += CStrings.encodedLength(parameter.getKey()) + CStrings.encodedLength(parameter.getValue());
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeInt(majorVersion << 16 | minorVersion);
        parameters.forEach((name, value) -> {
            CStrings.write(out, name);
            CStrings.write(out, value);
        });
        out.writeByte(0);
        out.setInt(start, out.writerIndex() - start);
    }

    /**
     * Decodes what follows the version code. Only major version 3 has a known layout; like PostgreSQL,
     * which checks the version before parsing anything, other versions come back without parameters
     * for the proxy to refuse.
     */
    static StartupMessage decode(int version, ByteBuf rest) {
        int major = version >>> 16;
        int minor = version & 0xFFFF;
        if (major != 3) {
            return new StartupMessage(major, minor, Map.of());
        }
        LinkedHashMap<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = CStrings.read(rest);
            if (name.isEmpty()) {
                if (rest.isReadable()) {
                    throw new MalformedMessageException("invalid startup packet layout: expected terminator as last byte");
                }
                return new StartupMessage(major, minor, parameters);
            }
            parameters.put(name, CStrings.read(rest));
        }
    }
}
