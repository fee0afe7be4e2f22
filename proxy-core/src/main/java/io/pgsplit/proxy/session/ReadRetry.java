package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.router.Classification;
import io.pgsplit.router.TransactionControl;

/**
 * The transparent retry of a read whose server died before any byte of its answer reached the
 * client. The read's bytes are kept (a reference to what was sent) until the first byte of
 * its answer arrives; if its server is lost first, the read goes, once, to another server, before
 * anything newer. A write is never kept: the proxy never sends a write twice. The answer's
 * {@link AnswerPreamble} is held back until its first row, completion or error: a server stopped
 * with SIGQUIT flushes its buffered ParseComplete, BindComplete and RowDescription before it dies,
 * and a client shown those could not be given another server's answer.
 */
final class ReadRetry {
    private Segment inFlight;
    private BackendConnection inFlightOn;
    /** Retained: the buffer the read was sent from, and where in it the read's bytes are. */
    private ByteBuf inFlightBytes;
    private int inFlightIndex;
    private int inFlightLength;
    private Segment pending;
    /** The preamble of the answer in flight, not shown to the client yet; owned here. */
    private ByteBuf heldPreamble;

    /**
     * Only a whole group (ending in Sync or a simple Query), routed on its own as a read outside any
     * transaction, sent to a server that owed nothing, and not retried before.
     */
    static boolean allows(Segment s, Requirement routedAlone, Classification classification, BackendConnection server) {
        return routedAlone != null
                && routedAlone.need() == Requirement.Need.READ
                && classification != null
                && classification.transaction() == TransactionControl.NONE
                && s.end == Segment.End.READY_FOR_QUERY
                && !s.retried
                && !server.owesClient();
    }

    /**
     * Keeps {@code sent} (retained, with the bounds of its readable bytes now) until the read's answer starts.
     * Writing it moves its reader index, not its bytes; a duplicate object per read would cost more than that.
     */
    void remember(Segment s, BackendConnection server, ByteBuf sent) {
        forget();
        inFlight = s;
        inFlightOn = server;
        inFlightIndex = sent.readerIndex();
        inFlightLength = sent.readableBytes();
        inFlightBytes = sent.retain();
    }

    /**
     * What of a run of {@code server}'s messages (owned by this call) the client may see now, or null while it
     * is only the preamble of the retryable read's answer. Once the answer itself has started, it is too late
     * to retry elsewhere.
     */
    ByteBuf forClient(BackendConnection server, ByteBuf messages, boolean answer) {
        if (inFlightOn != server) {
            return messages;
        }
        boolean heldSome = heldPreamble != null;
        ByteBuf joined = heldSome ? Unpooled.wrappedBuffer(heldPreamble, messages) : messages;
        heldPreamble = null;
        if (AnswerPreamble.only(messages)) {
            heldPreamble = joined;
            return null;
        }
        if (answer || heldSome) {
            forget();
        }
        return joined;
    }

    /** Whether the read in flight on {@code lost} can still go elsewhere. */
    boolean canRetry(BackendConnection lost) {
        return inFlightOn == lost;
    }

    /** {@code lost} died before answering: its read is what the session sends next. */
    Segment retryAfterLoss(BackendConnection lost) {
        releasePreamble(); // the new server sends its own
        Segment read = inFlight;
        read.replay = inFlightBytes.slice(inFlightIndex, inFlightLength); // shares, and so takes over, our reference
        read.retried = true;
        read.attempt().failedServers.add(lost.serverName());
        inFlight = null;
        inFlightOn = null;
        inFlightBytes = null;
        pending = read;
        return read;
    }

    /** The read to send again before anything new, or null. */
    Segment pending() {
        return pending;
    }

    /** The pending read was dealt with. */
    void resent() {
        pending = null;
    }

    private void releasePreamble() {
        if (heldPreamble != null) {
            heldPreamble.release();
            heldPreamble = null;
        }
    }

    private void forget() {
        releasePreamble();
        if (inFlightBytes != null) {
            inFlightBytes.release();
        }
        inFlight = null;
        inFlightOn = null;
        inFlightBytes = null;
    }

    /** The session closes: both copies are released. */
    void release(RequestBuffer requests) {
        forget();
        if (pending != null) {
            requests.drop(pending);
            pending = null;
        }
    }
}
