package io.pgsplit.proxy.session;

import static io.pgsplit.proxy.session.ClientMessages.preparedStatement;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.CStrings;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementRenamingTest {
    private final ServerStatements server = new ServerStatements();
    private final ClientStatements client = new ClientStatements(() -> 200);
    private final Map<String, PreparedStatementDef> session = client.byName();
    private final SegmentScanner scanner = new SegmentScanner(1 << 20, 1 << 20);

    /** Scans and renames one request; returns its prelude and client messages as "type name" lines. */
    private Sent send(ClientMessages messages, int limit) {
        ByteBuf bytes = Unpooled.wrappedBuffer(messages.bytes());
        Segment segment = new Segment();
        scanner.scan(bytes, segment, session);
        StatementRenaming.Renamed renamed = StatementRenaming.rename(segment, bytes, server, session, limit,
                ByteBufAllocator.DEFAULT);
        client.sent(segment, server);
        return new Sent(describe(renamed.prelude()), describe(renamed.client()), renamed);
    }

    private record Sent(List<String> prelude, List<String> client, StatementRenaming.Renamed renamed) {
    }

    /** Releases {@code buf}. */
    private static List<String> describe(ByteBuf buf) {
        List<String> lines = new ArrayList<>();
        if (buf == null) {
            return lines;
        }
        try {
            while (buf.isReadable()) {
                char type = (char) buf.readByte();
                ByteBuf body = buf.readSlice(buf.readInt() - 4);
                lines.add(switch (type) {
                    case 'P' -> "P " + CStrings.read(body);
                    case 'B' -> {
                        CStrings.read(body);
                        yield "B " + CStrings.read(body);
                    }
                    case 'D', 'C' -> type + " " + (char) body.readByte() + " " + CStrings.read(body);
                    default -> String.valueOf(type);
                });
            }
        } finally {
            buf.release();
        }
        return lines;
    }

    @Test
    void namedStatementsTakeTheConnectionsNames() {
        Sent sent = send(new ClientMessages().parse("S_1", "SELECT $1").bind("", "S_1").describeStatement("S_1")
                .execute().sync(), 200);

        assertThat(sent.prelude()).isEmpty();
        assertThat(sent.client()).containsExactly("P pgsplit_s1", "B pgsplit_s1", "D S pgsplit_s1", "E", "S");
        assertThat(sent.renamed().clientParses()).isEqualTo(1);
    }

    @Test
    void twoClientsUsingOneNameForDifferentSqlGetDifferentServerStatements() {
        send(new ClientMessages().parse("S_1", "SELECT 'mine'").sync(), 200);
        session.clear(); // another client on the same connection
        Sent other = send(new ClientMessages().parse("S_1", "SELECT 'theirs'").bind("", "S_1").execute().sync(), 200);

        assertThat(other.client()).containsExactly("P pgsplit_s2", "B pgsplit_s2", "E", "S");
    }

    @Test
    void aParseOfContentTheServerHoldsIsAnsweredInLineByACloseOfNothing() {
        send(new ClientMessages().parse("a", "SELECT 1").sync(), 200);
        session.clear();
        Sent sent = send(new ClientMessages().parse("b", "SELECT 1").bind("", "b").execute().sync(), 200);

        assertThat(sent.client()).containsExactly("C S pgsplit_none", "B pgsplit_s1", "E", "S");
        assertThat(sent.renamed().clientParses()).isZero();
        assertThat(sent.renamed().clientCloses()).isEqualTo(1);
        assertThat(sent.renamed().replies().closesAsParse().get(0)).isTrue();
    }

    @Test
    void aStatementTheServerLacksIsPreparedInFrontUnderItsName() {
        session.put("S_1", preparedStatement("S_1", "SELECT 2"));

        Sent sent = send(new ClientMessages().bind("", "S_1").execute().sync(), 200);

        assertThat(sent.prelude()).containsExactly("P pgsplit_s1");
        assertThat(sent.client()).containsExactly("B pgsplit_s1", "E", "S");
        assertThat(sent.renamed().preludeParses()).isEqualTo(1);
    }

    @Test
    void theClientsCloseForgetsItsNameAndIsAnsweredInOrder() {
        send(new ClientMessages().parse("S_1", "SELECT 1").sync(), 200);

        Sent sent = send(new ClientMessages().closeStatement("S_1").closePortal("p").sync(), 200);

        assertThat(sent.client()).containsExactly("C S pgsplit_none", "C P p", "S");
        assertThat(sent.renamed().clientCloses()).isEqualTo(2);
        assertThat(sent.renamed().replies().closesAsParse().isEmpty()).isTrue();
        assertThat(session).doesNotContainKey("S_1");
        assertThat(server.size()).as("the server keeps it for whoever parses it next").isEqualTo(1);
    }

    @Test
    void aFloodOfUniqueStatementsKeepsTheServerAtTheLimit() {
        List<String> closed = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Sent sent = send(new ClientMessages().parse("s" + i, "SELECT " + i).sync(), 10);
            sent.prelude().stream().filter(line -> line.startsWith("C")).forEach(closed::add);
            assertThat(server.size()).isLessThanOrEqualTo(10);
        }
        assertThat(closed).hasSize(40).first().isEqualTo("C S pgsplit_s1");
    }

    @Test
    void unnamedStatementsAndUnknownNamesGoThroughUnchanged() {
        Sent sent = send(new ClientMessages().parse("", "SELECT 1").bind("", "").bind("", "mine").execute().sync(), 200);

        assertThat(sent.client()).containsExactly("P ", "B ", "B mine", "E", "S");
    }

    @Test
    void anUnnamedStatementParsedEarlierIsParsedAgainWhereTheConnectionHoldsAnother() {
        send(new ClientMessages().parse("", "SELECT 'mine'").sync(), 200);
        server.unnamed(preparedStatement("", "SELECT 'theirs'")); // the connection served someone else meanwhile

        Sent sent = send(new ClientMessages().bind("", "").execute().sync(), 200);

        assertThat(sent.prelude()).containsExactly("P ");
        assertThat(sent.renamed().preludeParses()).isEqualTo(1);
        assertThat(sent.client()).containsExactly("B ", "E", "S");
        Sent again = send(new ClientMessages().bind("", "").execute().sync(), 200);
        assertThat(again.prelude()).as("the connection holds it now").isEmpty();
    }

    @Test
    void aBindAfterTheClientClosedTheUnnamedStatementGetsNothingPreparedForIt() {
        send(new ClientMessages().parse("", "SELECT 'mine'").sync(), 200);
        server.unnamed(null);

        Sent sent = send(new ClientMessages().closeStatement("").bind("", "").execute().sync(), 200);

        assertThat(sent.prelude()).as("the server answers the Bind as PostgreSQL does").isEmpty();
        assertThat(sent.client()).containsExactly("C S ", "B ", "E", "S");
    }

    @Test
    void aSimpleQueryReplacesTheUnnamedStatement() {
        send(new ClientMessages().parse("", "SELECT 1").sync(), 200);
        send(new ClientMessages().query("SELECT 2"), 200);

        assertThat(server.holdsUnnamed(preparedStatement("", "SELECT 1"))).isFalse();
    }

    @Test
    void anotherClientsServerNameIsNeverReachable() {
        send(new ClientMessages().parse("S_1", "SELECT 'secret'").sync(), 200);
        session.clear();

        Sent sent = send(new ClientMessages().bind("", "pgsplit_s1").execute().sync(), 200);

        assertThat(sent.client()).containsExactly("B pgsplit_none", "E", "S");
    }
}
