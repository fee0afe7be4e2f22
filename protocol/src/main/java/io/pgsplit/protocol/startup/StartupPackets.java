package io.pgsplit.protocol.startup;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.FrameTooLargeException;
import io.pgsplit.protocol.MalformedMessageException;

/** Frames and decodes the untyped packets a client sends before the typed-message phase. */
public final class StartupPackets {
    /** PostgreSQL's limit; it bounds what an unauthenticated peer can make the proxy buffer. */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;
    /** Length field plus code: the smallest packet that says anything. */
    private static final int MIN_STARTUP_PACKET_LENGTH = 8;
    /** Major version 1234 marks special requests (SSL, GSS, cancel) rather than a protocol version. */
    private static final int SPECIAL_REQUEST_MAJOR = 1234;

    private StartupPackets() {
    }

    /**
     * Length of the packet starting at {@code index} if it is complete within buf's readable bytes,
     * else -1. Does not move indices.
     *
     * @throws MalformedMessageException if the length is below 8
     * @throws FrameTooLargeException if the length is above {@link #MAX_STARTUP_PACKET_LENGTH}
     */
    public static int completePacketLength(ByteBuf buf, int index) {
        int available = buf.writerIndex() - index;
        if (available < 4) {
            return -1;
        }
        int length = buf.getInt(index);
        if (length < MIN_STARTUP_PACKET_LENGTH) {
            throw new MalformedMessageException("invalid length of startup packet: " + length);
        }
        if (length > MAX_STARTUP_PACKET_LENGTH) {
            throw new FrameTooLargeException(length, MAX_STARTUP_PACKET_LENGTH);
        }
        return available >= length ? length : -1;
    }

    /**
     * Decodes one whole packet (length prefix included) from the reader index, without moving the
     * buffer's indices. Protocol versions other than 3 still come back as a StartupMessage so the
     * proxy can refuse them the way PostgreSQL does.
     *
     * @throws MalformedMessageException on unknown special codes, wrong lengths or a broken parameter list
     */
    public static StartupPacket decode(ByteBuf packet) {
        int available = packet.readableBytes();
        if (available < MIN_STARTUP_PACKET_LENGTH) {
            throw new MalformedMessageException("startup packet of " + available + " bytes is too short");
        }
        int length = packet.getInt(packet.readerIndex());
        if (length != available) {
            throw new MalformedMessageException("startup packet length " + length + " does not match its " + available + " bytes");
        }
        ByteBuf rest = packet.slice(packet.readerIndex() + MIN_STARTUP_PACKET_LENGTH, length - MIN_STARTUP_PACKET_LENGTH);
        int code = packet.getInt(packet.readerIndex() + 4);
        return switch (code) {
            case SslRequest.CODE -> {
                requireLength(length, SslRequest.LENGTH, "SSLRequest");
                yield new SslRequest();
            }
            case GssEncRequest.CODE -> {
                requireLength(length, GssEncRequest.LENGTH, "GSSENCRequest");
                yield new GssEncRequest();
            }
            case CancelRequest.CODE -> {
                requireLength(length, CancelRequest.LENGTH, "CancelRequest");
                yield new CancelRequest(rest.getInt(0), rest.getInt(4));
            }
            default -> {
                if (code >>> 16 == SPECIAL_REQUEST_MAJOR) {
                    throw new MalformedMessageException("unsupported startup request code " + code);
                }
                yield StartupMessage.decode(code, rest);
            }
        };
    }

    private static void requireLength(int length, int expected, String packetName) {
        if (length != expected) {
            throw new MalformedMessageException("invalid length " + length + " of " + packetName + " packet");
        }
    }
}
