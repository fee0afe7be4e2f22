package io.pgsplit.protocol.startup;

/** Asks for GSSAPI encryption; the proxy does not offer it and answers 'N' so the client falls back. */
public record GssEncRequest() implements StartupPacket {
    public static final int CODE = 80877104;
    public static final int LENGTH = 8;
}
