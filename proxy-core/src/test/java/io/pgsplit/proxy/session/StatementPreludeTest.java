package io.pgsplit.proxy.session;

import static io.pgsplit.proxy.session.ClientMessages.preparedStatement;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementPreludeTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final ServerStatements server = new ServerStatements();
    private final Segment segment = new Segment();

    private void binds(PreparedStatementDef def) {
        segment.use(def.name(), Map.of(def.name(), def));
    }

    /** Builds the prelude and returns its bytes, releasing the buffer. */
    private static byte[] bytesOf(StatementPrelude prelude) {
        try {
            return ByteBufUtil.getBytes(prelude.bytes());
        } finally {
            prelude.bytes().release();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] closeStatement(String name) {
        return new ClientMessages().closeStatement(name).bytes();
    }

    @Test
    void serverLackingAReferencedStatementGetsItsOriginalParseBytes() {
        PreparedStatementDef def = preparedStatement("s1", "SELECT * FROM t WHERE id = $1");
        binds(def);

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(prelude.parses()).isEqualTo(1);
        assertThat(prelude.closes()).isZero();
        assertThat(bytesOf(prelude)).isEqualTo(def.parseMessage());
        assertThat(server.has(def)).as("recorded as prepared on the server").isTrue();
    }

    @Test
    void serverHoldingEveryReferencedStatementGetsNone() {
        PreparedStatementDef def = preparedStatement("s1", "SELECT 1");
        server.prepared(def);
        binds(def);

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(prelude).isSameAs(StatementPrelude.NONE);
        assertThat(prelude.bytes()).isNull();
        assertThat(prelude.parses()).isZero();
    }

    @Test
    void segmentReferencingNothingGetsNone() {
        segment.parse(preparedStatement("s1", "SELECT 1"));

        assertThat(StatementPrelude.build(segment, server, Map.of(), ALLOC)).isSameAs(StatementPrelude.NONE);
    }

    @Test
    void severalMissingStatementsArePreparedInTheOrderTheyWereReferenced() {
        PreparedStatementDef first = preparedStatement("a", "SELECT 1");
        PreparedStatementDef second = preparedStatement("b", "SELECT 2");
        Map<String, PreparedStatementDef> session = Map.of("a", first, "b", second);
        segment.use("b", session);
        segment.use("a", session);

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(prelude.parses()).isEqualTo(2);
        assertThat(bytesOf(prelude)).isEqualTo(concat(second.parseMessage(), first.parseMessage()));
    }

    @Test
    void anotherVersionHeldUnderTheNameIsClosedBeforeTheParse() {
        PreparedStatementDef old = preparedStatement("s1", "SELECT 'old'");
        PreparedStatementDef current = preparedStatement("s1", "SELECT 'new'");
        server.prepared(old);
        binds(current);

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(bytesOf(prelude)).isEqualTo(concat(closeStatement("s1"), current.parseMessage()));
        assertThat(prelude.closes()).isEqualTo(1);
    }

    @Test
    void unnamedStatementIsReplacedWithoutAClose() {
        PreparedStatementDef old = preparedStatement("", "SELECT 'old'");
        PreparedStatementDef current = preparedStatement("", "SELECT 'new'");
        server.prepared(old);
        binds(current);

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(prelude.closes()).isZero();
        assertThat(bytesOf(prelude)).isEqualTo(current.parseMessage());
    }

    @Test
    void sameContentPreparedByAnotherClientIsReusedWithoutAParse() {
        server.prepared(preparedStatement("s1", "SELECT 1"));
        binds(preparedStatement("s1", "SELECT 1"));

        assertThat(StatementPrelude.build(segment, server, Map.of(), ALLOC)).isSameAs(StatementPrelude.NONE);
    }

    @Test
    void clientParseOfANameTheServerStillHoldsFromBeforeGetsACloseFirst() {
        server.prepared(preparedStatement("s1", "SELECT 'old'"));
        segment.parse(preparedStatement("s1", "SELECT 'new'"));

        StatementPrelude prelude = StatementPrelude.build(segment, server, Map.of(), ALLOC);

        assertThat(prelude.closes()).isEqualTo(1);
        assertThat(prelude.parses()).isZero();
        assertThat(bytesOf(prelude)).isEqualTo(closeStatement("s1"));
        assertThat(server.holds("s1")).isFalse();
    }

    @Test
    void clientReParseOfANameItStillHasIsLeftForTheServerToRefuse() {
        PreparedStatementDef live = preparedStatement("s1", "SELECT 'old'");
        server.prepared(live);
        segment.parse(preparedStatement("s1", "SELECT 'new'"));

        assertThat(StatementPrelude.build(segment, server, Map.of("s1", live), ALLOC))
                .as("PostgreSQL answers 42P05 prepared statement already exists, and so must the proxy")
                .isSameAs(StatementPrelude.NONE);
    }

    @Test
    void clientCloseThenParseOfTheSameNameInOneGroupNeedsNoInjectedClose() {
        PreparedStatementDef live = preparedStatement("s1", "SELECT 'old'");
        server.prepared(live);
        segment.closeStatement("s1");
        segment.parse(preparedStatement("s1", "SELECT 'new'"));

        assertThat(StatementPrelude.build(segment, server, Map.of("s1", live), ALLOC)).isSameAs(StatementPrelude.NONE);
    }

    @Test
    void clientParseOfANameTheServerNeverHeldGetsNone() {
        server.prepared(preparedStatement("other", "SELECT 0"));
        segment.parse(preparedStatement("s1", "SELECT 1"));

        assertThat(StatementPrelude.build(segment, server, Map.of(), ALLOC)).isSameAs(StatementPrelude.NONE);
    }
}
