package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.pgsplit.proxy.memory.BufferBudget;
import org.junit.jupiter.api.Test;

/** A session under limits.max_buffered_bytes: what it reserves for a request still arriving, and when it stops reading. */
class BufferBudgetSessionTest {
    private static final String BUDGET = "consistency: eventual\nlimits: { max_buffered_bytes: 64kB }\n";

    private static String selectOfLength(int length) {
        String head = "SELECT '";
        return head + "x".repeat(length - head.length() - 1) + "'";
    }

    /** The first {@code bytes} of {@code messages} as one read; the rest is returned for later. */
    private static ByteBuf sendHead(SessionHarness session, ClientMessages messages, int bytes) {
        ByteBuf all = messages.buffer();
        session.machine.onClientData(all.readRetainedSlice(bytes));
        session.machine.onClientReadComplete();
        session.client.runTasks();
        return all;
    }

    private static void sendRest(SessionHarness session, ByteBuf rest) {
        session.machine.onClientData(rest);
        session.machine.onClientReadComplete();
        session.client.runTasks();
    }

    @Test
    void aRequestStillArrivingHoldsAReservationOfItsWholeLengthUntilItIsRouted() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            BufferBudget budget = session.context.bufferBudget();
            String sql = selectOfLength(40_000);

            ByteBuf rest = sendHead(session, new ClientMessages().query(sql), 1_000);
            assertThat(budget.reserved()).isEqualTo(1 + 4 + sql.length() + 1);
            assertThat(session.client.isReading()).isTrue();

            sendRest(session, rest);
            assertThat(session.connections.lent()).hasSize(1);
            assertThat(budget.reserved()).isZero();
        }
    }

    @Test
    void withTheBudgetFullTheSessionStopsReadingAndGoesOnOnceThereIsRoom() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            BufferBudget budget = session.context.bufferBudget();
            budget.tryReserve(budget.limit()); // another session holds all of it

            ByteBuf rest = sendHead(session, new ClientMessages().query(selectOfLength(20_000)), 1_000);
            assertThat(session.client.isReading()).isFalse();
            assertThat(budget.waits()).isEqualTo(1);
            assertThat(session.machine.isIdle()).as("paused by pgsplit: not idle for client_idle_timeout").isFalse();

            budget.release(budget.limit());
            session.client.runTasks();
            assertThat(session.client.isReading()).isTrue();

            sendRest(session, rest);
            assertThat(session.connections.lent()).hasSize(1);
            assertThat(session.received()).isEmpty();
            assertThat(budget.reserved()).isZero();
        }
    }

    @Test
    void aRequestLargerThanTheWholeBudgetIsRefusedWith53200OnItsHeader() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            ByteBuf rest = sendHead(session, new ClientMessages().query(selectOfLength(70_000)), 10);
            rest.release();

            assertThat(session.received()).singleElement().asString()
                    .startsWith("ErrorResponse FATAL 53200 out of memory: a request of 70006 bytes");
            assertThat(session.sessionClosed()).isTrue();
            assertThat(session.context.bufferBudget().reserved()).isZero();
        }
    }

    /** The group so far (70 kB, more than the budget) goes on to the primary as a large request, not refused. */
    @Test
    void aRequestGroupCutShortByASmallBudgetIsSentOnNotRefused() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            ClientMessages group = new ClientMessages();
            for (int i = 0; i < 70; i++) {
                group.parse("", selectOfLength(1_000));
            }
            group.parse("", selectOfLength(1_000)).sync();
            int parseLength = new ClientMessages().parse("", selectOfLength(1_000)).bytes().length;

            ByteBuf rest = sendHead(session, group, 70 * parseLength + parseLength / 2);
            assertThat(session.received()).isEmpty();
            assertThat(session.server("pg1").received()).hasSize(70);
            sendRest(session, rest);

            assertThat(session.server("pg1").received()).hasSize(2);
            assertThat(session.context.bufferBudget().reserved()).isZero();
        }
    }

    @Test
    void ordinaryStatementsPassWhileTheBudgetIsFull() {
        try (SessionHarness session = SessionHarness.start(BUDGET)) {
            BufferBudget budget = session.context.bufferBudget();
            budget.tryReserve(budget.limit());

            ByteBuf rest = sendHead(session, new ClientMessages().query("SELECT 1"), 3);
            assertThat(session.client.isReading()).isTrue();
            sendRest(session, rest);

            assertThat(session.connections.lent()).hasSize(1);
            budget.release(budget.limit());
        }
    }
}
