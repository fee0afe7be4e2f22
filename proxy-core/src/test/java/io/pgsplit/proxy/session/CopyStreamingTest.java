package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** CopyData is not buffered whole: what has arrived of a message goes on to the COPY under way at once. */
class CopyStreamingTest {
    /** Smaller than the CopyData message below: buffering it whole would be refused with 53200. */
    private static final String BUDGET = "limits: { max_buffered_bytes: 64kB }\n";

    private static void read(SessionHarness session, ByteBuf part) {
        session.machine.onClientData(part);
        session.machine.onClientReadComplete();
        session.client.runTasks();
    }

    @Test
    void aCopyDataMessageLargerThanTheBudgetIsForwardedInThePartsItArrivesIn() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            session.send(new ClientMessages().query("COPY t FROM STDIN"));
            assertThat(session.server("pg1").received()).containsExactly("Query COPY t FROM STDIN");
            session.reply("pg1", new ServerMessages().copyIn());
            ByteBuf copy = new ClientMessages().copyData("x".repeat(100_000) + "\n").copyDone().buffer();
            byte[] expected = new byte[copy.readableBytes()];
            copy.getBytes(copy.readerIndex(), expected);

            read(session, copy.readRetainedSlice(30_000));
            assertThat(session.server("pg1").receivedBytes()).isEqualTo(Arrays.copyOf(expected, 30_000));
            assertThat(session.context.bufferBudget().reserved()).isZero();
            assertThat(session.client.isReading()).isTrue();

            read(session, copy.readRetainedSlice(40_000));
            assertThat(session.server("pg1").receivedBytes()).isEqualTo(Arrays.copyOfRange(expected, 30_000, 70_000));

            read(session, copy);
            assertThat(session.server("pg1").receivedBytes())
                    .isEqualTo(Arrays.copyOfRange(expected, 70_000, expected.length));
            session.reply("pg1", new ServerMessages().complete("COPY 1").ready('I'));
            assertThat(session.received()).containsExactly("CopyInResponse", "CommandComplete COPY 1", "ReadyForQuery I");
        }
    }

    @Test
    void thePartsOfACopyDataMessageWithNoCopyUnderWayAreDroppedAndTheNextRequestIsRoutedAsUsual() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            ByteBuf stray = new ClientMessages().copyData("y".repeat(20_000)).query("SELECT 1").buffer();

            read(session, stray.readRetainedSlice(10_000));
            read(session, stray);

            assertThat(session.connections.lent()).hasSize(1);
            assertThat(session.server(session.connections.lent().get(0)).received()).containsExactly("Query SELECT 1");
            assertThat(session.received()).isEmpty();
        }
    }
}
