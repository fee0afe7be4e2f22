package io.pgsplit.proxy.session;

import static io.pgsplit.protocol.MessageFraming.HEADER_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.proxy.netty.InboundBuffer;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.util.Map;

/**
 * Request intake: the client's bytes, and the request being cut from them. The bytes of a request
 * stay here until it is routed; whoever takes them ({@link #take}) owns them and forwards or
 * releases them, and a request that is refused is {@link #drop dropped}. The one exception is a read
 * being retried elsewhere, which carries its own retained copy ({@link Segment#replay}).
 */
final class RequestBuffer {
    private final InboundBuffer inbound = new InboundBuffer();
    private final SegmentScanner scanner;
    private Segment current;
    /** Bytes of a CopyData message still to come after the parts already sent on ({@link Segment#streamRest}). */
    private int copyRest;

    RequestBuffer(SegmentScanner scanner) {
        this.scanner = scanner;
    }

    /** Takes ownership of {@code data}. */
    void append(ByteBufAllocator alloc, ByteBuf data) {
        inbound.append(alloc, data);
    }

    /**
     * The request at the head of the buffer once it is complete, else null. The same request comes
     * back until it is {@link #finished()}, with everything routing recorded on it meanwhile.
     */
    Segment next(Map<String, PreparedStatementDef> statements) {
        if (current == null) {
            if (copyRest > 0) {
                return copyContinuation();
            }
            current = new Segment();
        }
        if (!scanner.scan(inbound.buffer(), current, statements)) {
            return null;
        }
        copyRest += current.streamRest;
        current.streamRest = 0;
        return current;
    }

    /** The next raw part of a CopyData message sent on in parts: whatever of it is here. */
    private Segment copyContinuation() {
        int available = inbound.readableBytes();
        if (available == 0) {
            return null;
        }
        current = new Segment();
        current.length = Math.min(available, copyRest);
        current.end = Segment.End.COPY;
        copyRest -= current.length;
        return current;
    }

    /**
     * The bytes this buffer will hold once the head request can be routed: up to the end of its last
     * message when that message's header is in (the scan checked its length), else what is here.
     */
    long bytesNeeded() {
        int held = inbound.readableBytes();
        if (current == null || current.end != Segment.End.OPEN || held - current.length < HEADER_LENGTH) {
            return held;
        }
        ByteBuf buf = inbound.buffer();
        long messageLength = buf.getInt(buf.readerIndex() + current.length + 1) + 1L;
        return Math.max(held, current.length + messageLength);
    }

    /** The head request was dealt with (its bytes taken or dropped): scanning goes on after it. */
    void finished() {
        current = null;
    }

    /** The segment's bytes, now owned by the caller: from the buffer, or the copy kept for a retry. */
    ByteBuf take(Segment s) {
        if (s.replay != null) {
            ByteBuf bytes = s.replay;
            s.replay = null;
            return bytes;
        }
        return inbound.takeSlice(s.length);
    }

    /** The segment is answered without being sent: its bytes are consumed (or its retry copy released). */
    void drop(Segment s) {
        if (s.replay != null) {
            s.replay.release();
            s.replay = null;
        } else {
            inbound.skip(s.length);
        }
    }

    void release() {
        inbound.release();
    }
}
