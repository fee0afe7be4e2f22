package io.pgsplit.proxy.commands;

import static io.pgsplit.proxy.commands.ClientRequest.request;
import static io.pgsplit.proxy.commands.WireBytes.NUL;
import static io.pgsplit.proxy.commands.WireBytes.assertSameBytes;
import static io.pgsplit.proxy.commands.WireBytes.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.health.Lsn;
import io.pgsplit.protocol.MessageTypes;
import io.pgsplit.protocol.backend.TransactionStatus;
import io.pgsplit.proxy.commands.ProxyCommand.SetConsistency;
import io.pgsplit.proxy.commands.ProxyCommand.SetMinLsn;
import io.pgsplit.proxy.commands.ProxyCommand.Show;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The answers are compared with what PostgreSQL 15 sends for its own SET and SHOW (captured with a raw
 * protocol client): byte for byte where a fixture is spelled out, message by message elsewhere.
 */
class ProxyCommandRepliesTest {
    private static final String TEXT_OID = "25";
    private static final String SHOW_CONSISTENCY = "SHOW pgsplit.consistency";

    /** What the session does with the commands: holds the values and records what it was asked. */
    private static final class TinySession implements Function<ProxyCommand, String> {
        private static final String CONFIGURED = ProxyCommand.READ_YOUR_WRITES;
        final List<ProxyCommand> applied = new ArrayList<>();
        String consistency = CONFIGURED;
        long minLsn;
        long lastLsn = 0x3000148L;

        @Override
        public String apply(ProxyCommand command) {
            applied.add(command);
            if (command instanceof SetConsistency set) {
                consistency = set.mode() == null ? CONFIGURED : set.mode();
            } else if (command instanceof SetMinLsn set) {
                minLsn = set.lsn();
            } else if (command instanceof Show show) {
                return switch (show.name()) {
                    case ProxyCommand.CONSISTENCY -> consistency;
                    case ProxyCommand.MIN_LSN -> Lsn.format(minLsn);
                    default -> Lsn.format(lastLsn);
                };
            }
            return null;
        }
    }

    private final TinySession session = new TinySession();

    @Test
    void answersPsqlShowWithTheBytesPostgresqlSends() {
        session.consistency = ProxyCommand.EVENTUAL;
        byte[] expected = wire(
                'T', 44, (short) 1, "pgsplit.consistency", NUL, 0, (short) 0, 25, (short) -1, -1, (short) 0,
                'D', 18, (short) 1, 8, "eventual",
                'C', 9, "SHOW", NUL,
                'Z', 5, 'I');
        assertAnswerBytes(request().query(SHOW_CONSISTENCY), TransactionStatus.IDLE, expected);
        assertThat(session.applied).containsExactly(new Show(ProxyCommand.CONSISTENCY));
    }

    @Test
    void answersPsqlSetWithTheBytesPostgresqlSends() {
        byte[] expected = wire('C', 8, "SET", NUL, 'Z', 5, 'I');
        assertAnswerBytes(request().query("SET pgsplit.consistency = 'eventual';"), TransactionStatus.IDLE, expected);
        assertThat(session.applied).containsExactly(new SetConsistency(ProxyCommand.EVENTUAL));
    }

    @Test
    void answersPgjdbcExtendedShowWithTheBytesPostgresqlSends() {
        byte[] expected = wire(
                '1', 4,
                '2', 4,
                'T', 41, (short) 1, "pgsplit.last_lsn", NUL, 0, (short) 0, 25, (short) -1, -1, (short) 0,
                'D', 19, (short) 1, 9, "0/3000148",
                'C', 9, "SHOW", NUL,
                'Z', 5, 'I');
        ClientRequest pgjdbc = request().parse("", "SHOW pgsplit.last_lsn").bind("", "").describePortal("").execute().sync();
        assertAnswerBytes(pgjdbc, TransactionStatus.IDLE, expected);
    }

    @Test
    void answersExtendedSetWithNoDataAndTheSetTag() {
        assertThat(answer(request().parse("", "SET pgsplit.min_lsn TO '0/3000148'").bind("", "").describePortal("").execute().sync()))
                .containsExactly("ParseComplete", "BindComplete", "NoData", "CommandComplete SET", "ReadyForQuery I");
        assertThat(session.minLsn).isEqualTo(0x3000148L);
    }

    @Test
    void describesANamedStatementWithItsDeclaredParameterTypesBeforeItIsBound() {
        ClientRequest describeFirst = request().parse("S_1", SHOW_CONSISTENCY, 25).describeStatement("S_1")
                .bind("", "S_1").execute().sync();
        assertThat(answer(describeFirst)).containsExactly(
                "ParseComplete",
                "ParameterDescription [25]",
                "RowDescription pgsplit.consistency:" + TEXT_OID + ":0",
                "BindComplete",
                "DataRow read-your-writes",
                "CommandComplete SHOW",
                "ReadyForQuery I");
        assertThat(answer(request().parse("S_2", "SET pgsplit.consistency = eventual").describeStatement("S_2").sync()))
                .containsExactly("ParseComplete", "ParameterDescription []", "NoData", "ReadyForQuery I");
    }

    @Test
    void setThenShowRoundTripsThroughTheExecutorInBothProtocols() {
        assertThat(answer(request().query("SET pgsplit.consistency TO EVENTUAL"))).containsExactly("CommandComplete SET", "ReadyForQuery I");
        assertThat(answer(request().query(SHOW_CONSISTENCY)))
                .containsExactly("RowDescription pgsplit.consistency:25:0", "DataRow eventual", "CommandComplete SHOW", "ReadyForQuery I");

        ClientRequest resetThenShow = request()
                .parse("", "RESET pgsplit.consistency").bind("", "").execute()
                .parse("", SHOW_CONSISTENCY).bind("", "").describePortal("").execute()
                .sync();
        assertThat(answer(resetThenShow)).containsExactly(
                "ParseComplete", "BindComplete", "CommandComplete SET",
                "ParseComplete", "BindComplete", "RowDescription pgsplit.consistency:25:0", "DataRow read-your-writes", "CommandComplete SHOW",
                "ReadyForQuery I");
        assertThat(session.applied).containsExactly(new SetConsistency(ProxyCommand.EVENTUAL), new Show(ProxyCommand.CONSISTENCY),
                new SetConsistency(null), new Show(ProxyCommand.CONSISTENCY));
    }

    @Test
    void causalTokenFromAnotherSessionRoundTrips() {
        assertThat(answer(request().query("SET pgsplit.min_lsn = '16/B374D848'"))).containsExactly("CommandComplete SET", "ReadyForQuery I");
        assertThat(answer(request().query("SHOW pgsplit.min_lsn"))).contains("DataRow 16/B374D848");
    }

    @Test
    void invalidModeIsRefusedWith22023ThenReadyForQueryWithoutReachingTheSession() {
        assertThat(answer(request().query("SET pgsplit.consistency = 'strong'"))).containsExactly(
                "ErrorResponse ERROR 22023 invalid value for parameter \"pgsplit.consistency\": \"strong\"",
                "ReadyForQuery I");
        assertThat(answer(request().parse("", "SET pgsplit.consistency = 'strong'").bind("", "").describePortal("").execute().sync()))
                .containsExactly(
                        "ErrorResponse ERROR 22023 invalid value for parameter \"pgsplit.consistency\": \"strong\"",
                        "ReadyForQuery I");
        assertThat(session.applied).isEmpty();
    }

    @Test
    void unknownPgsplitParameterIsRefusedWith42704LikeAnUnrecognizedConfigurationParameter() {
        assertThat(answer(request().query("SHOW pgsplit.nope"))).containsExactly(
                "ErrorResponse ERROR 42704 unrecognized configuration parameter \"pgsplit.nope\"", "ReadyForQuery I");
        assertThat(answer(request().parse("", "SET pgsplit.nope = 1").bind("", "").execute().sync())).containsExactly(
                "ErrorResponse ERROR 42704 unrecognized configuration parameter \"pgsplit.nope\"", "ReadyForQuery I");
    }

    @Test
    void afterAnErrorEveryMessageUpToSyncIsSkippedAndTheNextGroupIsAnswered() {
        ClientRequest twoGroups = request()
                .parse("", "SET pgsplit.last_lsn = '0/1'").bind("", "").describePortal("").execute().query(SHOW_CONSISTENCY).sync()
                .parse("", SHOW_CONSISTENCY).bind("", "").execute().sync();
        assertThat(answer(twoGroups)).containsExactly(
                "ErrorResponse ERROR 55P02 parameter \"pgsplit.last_lsn\" cannot be changed",
                "ReadyForQuery I",
                "ParseComplete", "BindComplete", "DataRow read-your-writes", "CommandComplete SHOW", "ReadyForQuery I");
        assertThat(session.applied).containsExactly(new Show(ProxyCommand.CONSISTENCY));
    }

    @Test
    void flushAnswersNothingOfItsOwn() {
        assertThat(answer(request().parse("", SHOW_CONSISTENCY).bind("", "").execute().flush().sync()))
                .containsExactly("ParseComplete", "BindComplete", "DataRow read-your-writes", "CommandComplete SHOW", "ReadyForQuery I");
    }

    @Test
    void rowLimitOfOneSuspendsTheShowPortalAndLaterExecutesOnlyComplete() {
        ClientRequest fetchOneAtATime = request().parse("", SHOW_CONSISTENCY).bind("", "")
                .execute("", 1).execute("", 1).execute("", 0).sync();
        assertThat(answer(fetchOneAtATime)).containsExactly(
                "ParseComplete", "BindComplete", "DataRow read-your-writes", "PortalSuspended",
                "CommandComplete SHOW", "CommandComplete SHOW", "ReadyForQuery I");
        assertThat(session.applied).hasSize(1);
    }

    @Test
    void setPortalCannotRunTwiceAndIsAppliedOnce() {
        assertThat(answer(request().parse("", "SET pgsplit.consistency = eventual").bind("", "").execute().execute().sync()))
                .containsExactly("ParseComplete", "BindComplete", "CommandComplete SET",
                        "ErrorResponse ERROR 55000 portal \"\" cannot be run", "ReadyForQuery I");
        assertThat(session.applied).hasSize(1);
    }

    @Test
    void statementParsedInAnEarlierRequestIsUnknownHere() {
        assertThat(answer(request().bind("", "S_7").execute().sync())).containsExactly(
                "ErrorResponse ERROR 26000 prepared statement \"S_7\" does not exist", "ReadyForQuery I");
        assertThat(answer(request().describeStatement("").sync())).containsExactly(
                "ErrorResponse ERROR 26000 unnamed prepared statement does not exist", "ReadyForQuery I");
        assertThat(answer(request().execute("C_1", 0).sync())).containsExactly(
                "ErrorResponse ERROR 34000 portal \"C_1\" does not exist", "ReadyForQuery I");
    }

    @Test
    void namedStatementCannotBeParsedTwiceUntilClosed() {
        assertThat(answer(request().parse("S_1", SHOW_CONSISTENCY).parse("S_1", SHOW_CONSISTENCY).sync())).containsExactly(
                "ParseComplete", "ErrorResponse ERROR 42P05 prepared statement \"S_1\" already exists", "ReadyForQuery I");
        ClientRequest closeThenReuse = request().parse("S_1", SHOW_CONSISTENCY).closeStatement("S_1")
                .parse("S_1", "SHOW pgsplit.min_lsn").bind("", "S_1").execute().sync();
        assertThat(answer(closeThenReuse)).containsExactly(
                "ParseComplete", "CloseComplete", "ParseComplete", "BindComplete", "DataRow 0/0", "CommandComplete SHOW", "ReadyForQuery I");
    }

    @Test
    void closedStatementCannotBeBound() {
        assertThat(answer(request().parse("S_1", SHOW_CONSISTENCY).closeStatement("S_1").bind("", "S_1").sync())).containsExactly(
                "ParseComplete", "CloseComplete", "ErrorResponse ERROR 26000 prepared statement \"S_1\" does not exist", "ReadyForQuery I");
    }

    @Test
    void abortedTransactionRefusesCommandsWith25P02LikePostgresql() {
        String aborted = "ErrorResponse ERROR 25P02 current transaction is aborted, commands ignored until end of transaction block";
        assertThat(answer(request().query("SET pgsplit.consistency = eventual"), TransactionStatus.FAILED))
                .containsExactly(aborted, "ReadyForQuery E");
        assertThat(answer(request().parse("", SHOW_CONSISTENCY).bind("", "").execute().sync(), TransactionStatus.FAILED))
                .containsExactly(aborted, "ReadyForQuery E");
        assertThat(session.applied).isEmpty();
    }

    @Test
    void readyForQueryCarriesTheSessionsTransactionStatusEvenAfterAnError() {
        assertThat(answer(request().query(SHOW_CONSISTENCY), TransactionStatus.IN_TRANSACTION)).endsWith("ReadyForQuery T");
        assertThat(answer(request().query("SHOW pgsplit.nope"), TransactionStatus.IN_TRANSACTION)).endsWith("ReadyForQuery T");
    }

    @Test
    void showOfAnUnsetValueIsSqlNull() {
        Function<ProxyCommand, String> nothingSet = command -> null;
        ByteBuf request = request().query(SHOW_CONSISTENCY).buffer();
        ByteBuf reply = ProxyCommandReplies.answer(request, nothingSet, TransactionStatus.IDLE, ByteBufAllocator.DEFAULT);
        try {
            assertThat(ServerReplies.lines(reply)).contains("DataRow NULL");
        } finally {
            reply.release();
            request.release();
        }
    }

    @Test
    void requestIsReadFromItsReaderIndexWithoutBeingConsumedOrReleased() {
        ByteBuf messages = request().query(SHOW_CONSISTENCY).buffer();
        ByteBuf request = ByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {'x', 'y'}).writeBytes(messages);
        messages.release();
        request.skipBytes(2);
        ByteBuf reply = ProxyCommandReplies.answer(request, session, TransactionStatus.IDLE, ByteBufAllocator.DEFAULT);
        try {
            assertThat(ServerReplies.lines(reply)).endsWith("CommandComplete SHOW", "ReadyForQuery I");
            assertThat(request.readerIndex()).isEqualTo(2);
            assertThat(request.refCnt()).isEqualTo(1);
        } finally {
            reply.release();
            request.release();
        }
    }

    @Test
    void sqlThatIsNotAPgsplitCommandIsACallerError() {
        assertRejected(request().query("SELECT 1"), "not a pgsplit command: SELECT 1");
        assertRejected(request().parse("", "SHOW search_path").sync(), "not a pgsplit command");
    }

    @Test
    void messagesOtherThanQueryAndExtendedProtocolAreACallerError() {
        assertRejected(request().raw(MessageTypes.COPY_DONE), "CopyDone cannot be part of a pgsplit command request");
    }

    @Test
    void requestEndingInsideAMessageIsACallerError() {
        ClientRequest cut = request().query(SHOW_CONSISTENCY);
        cut.buffer().writerIndex(cut.buffer().writerIndex() - 1);
        assertRejected(cut, "ends inside a message");
    }

    private void assertRejected(ClientRequest request, String message) {
        ByteBuf buffer = request.buffer();
        try {
            assertThatThrownBy(() -> ProxyCommandReplies.answer(buffer, session, TransactionStatus.IDLE, ByteBufAllocator.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        } finally {
            buffer.release();
        }
    }

    private List<String> answer(ClientRequest request) {
        return answer(request, TransactionStatus.IDLE);
    }

    private List<String> answer(ClientRequest request, TransactionStatus status) {
        ByteBuf buffer = request.buffer();
        ByteBuf reply = ProxyCommandReplies.answer(buffer, session, status, ByteBufAllocator.DEFAULT);
        try {
            return ServerReplies.lines(reply);
        } finally {
            reply.release();
            buffer.release();
        }
    }

    private void assertAnswerBytes(ClientRequest request, TransactionStatus status, byte[] expected) {
        ByteBuf buffer = request.buffer();
        ByteBuf reply = ProxyCommandReplies.answer(buffer, session, status, ByteBufAllocator.DEFAULT);
        try {
            assertSameBytes(reply, expected);
        } finally {
            reply.release();
            buffer.release();
        }
    }
}
