package io.pgsplit.protocol.startup;

/**
 * The first packet on a connection: untyped (Int32 length including itself, then an Int32 code).
 * Special requests use major version 1234, which no real protocol version will ever have.
 */
public sealed interface StartupPacket permits SslRequest, GssEncRequest, CancelRequest, StartupMessage {
}
