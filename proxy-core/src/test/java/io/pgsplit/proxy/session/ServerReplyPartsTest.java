package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A large DataRow is not buffered whole on its way to the client (a client could otherwise make each of its
 * sessions hold max_message_size with one SELECT): what has arrived goes on, the rest as it comes.
 */
class ServerReplyPartsTest {
    private static final String EVENTUAL = "consistency: eventual\n";

    @Test
    void aLargeDataRowGoesToTheClientInThePartsItArrivesIn() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String replica = session.connections.lent().get(0);
            session.server(replica).received();
            ByteBuf reply = new ServerMessages().rows("x", "x".repeat(200_000)).ready('I').buffer();
            byte[] expected = new byte[reply.readableBytes()];
            reply.getBytes(reply.readerIndex(), expected);
            int firstPart = 100_000;

            read(session, replica, reply.readRetainedSlice(firstPart));
            assertThat(session.client.receivedBytes()).isEqualTo(Arrays.copyOf(expected, firstPart));

            read(session, replica, reply);
            assertThat(session.client.receivedBytes()).isEqualTo(Arrays.copyOfRange(expected, firstPart, expected.length));
            assertThat(session.machine.phase()).isEqualTo(SessionPhase.IDLE);
        }
    }

    /** An ErrorResponse after part of a DataRow would be read as the rest of the row: the client is closed instead. */
    @Test
    void aServerLostInTheMiddleOfALargeRowClosesTheClientWithoutAnotherWord() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String replica = session.connections.lent().get(0);
            ByteBuf reply = new ServerMessages().rows("x", "x".repeat(200_000)).ready('I').buffer();
            read(session, replica, reply.readRetainedSlice(100_000));
            reply.release();
            assertThat(session.client.receivedBytes()).hasSize(100_000);

            session.server(replica).die();
            session.client.runTasks();

            assertThat(session.sessionClosed()).isTrue();
            assertThat(session.client.receivedBytes()).isEmpty();
        }
    }

    @Test
    void aSmallDataRowSplitAcrossReadsStillGoesOnWhole() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String replica = session.connections.lent().get(0);
            ByteBuf reply = new ServerMessages().rows("x", "y".repeat(1_000)).ready('I').buffer();
            int rowDescriptionAndAPart = 500;

            read(session, replica, reply.readRetainedSlice(rowDescriptionAndAPart));
            read(session, replica, reply);

            assertThat(session.received()).containsExactly("RowDescription x:25:0", "DataRow " + "y".repeat(1_000),
                    "CommandComplete SELECT 1", "ReadyForQuery I");
        }
    }

    /** One read of the server's socket, and its read-complete (which flushes to the client). */
    private static void read(SessionHarness session, String server, ByteBuf bytes) {
        session.server(server).reply(bytes);
        session.machine.serverEvents().onServerReadComplete(session.server(server).connection());
        session.client.runTasks();
    }
}
