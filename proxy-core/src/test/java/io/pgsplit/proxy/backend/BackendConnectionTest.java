package io.pgsplit.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.backend.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackendConnectionTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final BackendConnection backend = new BackendConnection("pg1", channel, java.util.Map.of());

    @AfterEach
    void closeChannel() {
        if (channel.isOpen()) {
            channel.flushOutbound(); // closing with unflushed writes would fail them
        }
        channel.finishAndReleaseAll();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private String nextWritten() {
        ByteBuf written = channel.readOutbound();
        try {
            return written.toString(StandardCharsets.US_ASCII);
        } finally {
            written.release();
        }
    }

    @Test
    void sendWritesThePreludeBeforeTheClientBytesAndOnlyOnFlush() {
        backend.send(null, bytes("prelude"), bytes("client"), new Dispatch(1, 0, 0, 0, true));
        assertThat((Object) channel.readOutbound()).as("nothing before flush").isNull();

        backend.flush();

        assertThat(nextWritten()).isEqualTo("prelude");
        assertThat(nextWritten()).isEqualTo("client");
    }

    @Test
    void sendWithoutPreludeWritesOnlyTheClientBytes() {
        backend.send(null, null, bytes("client"), new Dispatch(0, 0, 0, 0, true));
        backend.flush();

        assertThat(nextWritten()).isEqualTo("client");
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void syncEndedDispatchKeepsTheConnectionBusyUntilReadyForQuery() {
        backend.send(null, null, bytes("Q"), new Dispatch(0, 0, 0, 0, true));

        assertThat(backend.isBusy()).isTrue();
        assertThat(backend.readyForQueryOwed()).isEqualTo(1);
        assertThat(backend.pendingGroupOpen()).isFalse();

        backend.readyForQueryReceived(TransactionStatus.IDLE);

        assertThat(backend.isBusy()).isFalse();
        assertThat(backend.readyForQueryOwed()).isZero();
    }

    @Test
    void flushEndedDispatchLeavesTheGroupOpenUntilItsSyncIsAnswered() {
        backend.send(null, null, bytes("PBEH"), new Dispatch(0, 0, 1, 0, false));

        assertThat(backend.pendingGroupOpen()).isTrue();
        assertThat(backend.isBusy()).isTrue();
        assertThat(backend.readyForQueryOwed()).isZero();

        backend.send(null, null, bytes("S"), new Dispatch(0, 0, 0, 0, true));
        assertThat(backend.pendingGroupOpen()).isFalse();
        backend.readyForQueryReceived(TransactionStatus.IDLE);

        assertThat(backend.isBusy()).isFalse();
    }

    @Test
    void groupLeftOpenByFlushStaysOpenWhenAnEarlierGroupsReadyForQueryArrives() {
        backend.send(null, null, bytes("PBES"), new Dispatch(0, 0, 1, 0, true));
        backend.send(null, null, bytes("PBEH"), new Dispatch(0, 0, 1, 0, false));

        backend.readyForQueryReceived(TransactionStatus.IDLE); // answers the first group only

        assertThat(backend.pendingGroupOpen()).as("the second group still waits for its Sync").isTrue();
        assertThat(backend.isBusy()).isTrue();
    }

    @Test
    void isIdleOnlyWhenNothingIsOwedAndTheLastReadyForQuerySaidIdle() {
        assertThat(backend.isIdle()).as("after startup").isTrue();

        backend.send(null, null, bytes("BEGIN"), new Dispatch(0, 0, 0, 0, true));
        assertThat(backend.isIdle()).as("reply owed").isFalse();
        backend.readyForQueryReceived(TransactionStatus.IN_TRANSACTION);
        assertThat(backend.transactionStatus()).isEqualTo(TransactionStatus.IN_TRANSACTION);
        assertThat(backend.isIdle()).as("transaction open").isFalse();

        backend.send(null, null, bytes("COMMIT"), new Dispatch(0, 0, 0, 0, true));
        backend.readyForQueryReceived(TransactionStatus.IDLE);
        assertThat(backend.isIdle()).isTrue();
    }

    @Test
    void dispatchCountsDecideWhichRepliesAreHidden() {
        backend.send(null, null, bytes("x"), new Dispatch(1, 1, 1, 0, true));

        assertThat(backend.pending.closeComplete()).isEqualTo(PendingResponses.CloseReply.HIDE);
        assertThat(backend.pending.hideParseComplete()).isTrue();
        assertThat(backend.pending.hideParseComplete()).isFalse();
    }

    @Test
    void sendRawDoesNoBookkeeping() {
        backend.sendRaw(bytes("copydata"));
        backend.flush();

        assertThat(nextWritten()).isEqualTo("copydata");
        assertThat(backend.isBusy()).isFalse();
    }

    /** The server closes after Terminate (its backend is gone then); one that does not is closed on after a grace. */
    @Test
    void terminateSaysGoodbyeAndClosesWhenTheServerDoesOrAfterTheGrace() {
        backend.terminate();

        ByteBuf terminate = channel.readOutbound();
        try {
            assertThat(terminate.getByte(0)).isEqualTo(MessageTypes.TERMINATE);
            assertThat(terminate.readableBytes()).isEqualTo(5);
        } finally {
            terminate.release();
        }
        assertThat(backend.isActive()).isFalse();
        assertThat(channel.isOpen()).as("waits for the server to close first").isTrue();
        channel.advanceTimeBy(BackendConnection.TERMINATE_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        backend.terminate(); // a second call writes nothing
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void abortClosesWithoutTerminate() {
        backend.abort();

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(backend.isActive()).isFalse();
    }

    @Test
    void recordsServerParametersInOrder() {
        backend.parameter("server_version", "15.8");
        backend.parameter("client_encoding", "UTF8");

        assertThat(backend.parameters()).containsExactly(
                Map.entry("server_version", "15.8"), Map.entry("client_encoding", "UTF8"));
        assertThat(backend.serverName()).isEqualTo("pg1");
    }

    @Test
    void aServerWithAFullOutboundBufferHoldsItsClientBack() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        assertThat(backend.holdsBackClient()).isFalse();

        channel.write(bytes("more than sixteen bytes, unflushed"));

        assertThat(channel.isWritable()).isFalse();
        assertThat(backend.holdsBackClient()).isTrue();
        channel.flush();
        assertThat(backend.holdsBackClient()).isFalse();
        channel.<ByteBuf>readOutbound().release();
    }

    /** Regression: Netty reports a closed channel unwritable before its channelInactive runs; the client then stayed paused for good. */
    @Test
    void aClosedServerNeverHoldsItsClientBack() {
        channel.close();

        assertThat(channel.isWritable()).as("Netty's view of a closed channel").isFalse();
        assertThat(backend.holdsBackClient()).isFalse();
    }
}
