package io.pgsplit.proxy.session;

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
            current = new Segment();
        }
        return scanner.scan(inbound.buffer(), current, statements) ? current : null;
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
