package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import io.pgsplit.proxy.statements.ServerStatements;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldStatementBindTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final ServerStatements server = new ServerStatements();
    private final ClientStatements client = new ClientStatements(() -> 200);
    private final Map<String, PreparedStatementDef> session = client.byName();
    private final SegmentScanner scanner = new SegmentScanner(1 << 20, 1 << 20);

    private Segment scan(ByteBuf bytes) {
        Segment segment = new Segment();
        scanner.scan(bytes, segment, session);
        return segment;
    }

    /** Sends a request the general way, as the session would (the server now holds what it prepares). */
    private void sendGenerally(ClientMessages messages, int limit) {
        ByteBuf bytes = Unpooled.wrappedBuffer(messages.bytes());
        Segment segment = scan(bytes);
        StatementRenaming.Renamed renamed = StatementRenaming.rename(segment, bytes, server, session, limit, ALLOC);
        release(renamed.prelude());
        release(renamed.client());
        client.sent(segment, server);
    }

    /** The fast path's head and the rest of the request, as one array; null when it does not apply. */
    private byte[] fastPath(ClientMessages messages, int limit) {
        return fastPath(messages.bytes(), limit);
    }

    private byte[] fastPath(byte[] request, int limit) {
        ByteBuf bytes = Unpooled.wrappedBuffer(request);
        try {
            Segment segment = scan(bytes);
            int before = bytes.readerIndex();
            ByteBuf head = HeldStatementBind.renamedHead(segment, bytes, server, session, limit, ALLOC);
            if (head == null) {
                assertThat(bytes.readerIndex()).as("left as it was for the general path").isEqualTo(before);
                return null;
            }
            ByteBuf sent = Unpooled.wrappedBuffer(head, bytes.retain()); // as the connection writes them, in turn
            try {
                return ByteBufUtil.getBytes(sent);
            } finally {
                sent.release();
            }
        } finally {
            bytes.release();
        }
    }

    /** What the general path sends for the same request, prelude and client bytes. */
    private byte[] generalPath(byte[] request, int limit) {
        ByteBuf bytes = Unpooled.wrappedBuffer(request);
        StatementRenaming.Renamed renamed = StatementRenaming.rename(scan(bytes), bytes, server, session, limit, ALLOC);
        assertThat(renamed.prelude()).isNull();
        try {
            return ByteBufUtil.getBytes(renamed.client());
        } finally {
            renamed.client().release();
        }
    }

    private static void release(ByteBuf buf) {
        if (buf != null) {
            buf.release();
        }
    }

    @Test
    void aBindOfAHeldStatementIsRenamedAsTheGeneralPathWouldRenameIt() {
        sendGenerally(new ClientMessages().parse("P0_1", "SELECT $1").sync(), 200);
        byte[] bind = new ClientMessages().bind("portal", "P0_1").describePortal("portal").execute().sync().bytes();

        byte[] fast = fastPath(bind, 200);

        assertThat(fast).isNotNull().isEqualTo(generalPath(bind, 200));
        assertThat(new String(fast, StandardCharsets.US_ASCII)).contains("pgsplit_s1").doesNotContain("P0_1");
    }

    @Test
    void aStatementTheServerDoesNotHoldTakesTheGeneralPath() {
        sendGenerally(new ClientMessages().parse("P0_1", "SELECT 1").sync(), 200);
        server.clear(); // e.g. another connection of the pool, which never saw the Parse

        assertThat(fastPath(new ClientMessages().bind("", "P0_1").execute().sync(), 200)).isNull();
    }

    @Test
    void aStatementTheLruEvictedTakesTheGeneralPathUntilPreparedAgain() {
        sendGenerally(new ClientMessages().parse("old", "SELECT 'old'").sync(), 1);
        sendGenerally(new ClientMessages().parse("new", "SELECT 'new'").sync(), 1); // evicts "old"

        assertThat(fastPath(new ClientMessages().bind("", "old").execute().sync(), 1)).isNull();
        sendGenerally(new ClientMessages().bind("", "old").execute().sync(), 1); // prepared in front again
        assertThat(fastPath(new ClientMessages().bind("", "old").execute().sync(), 1)).isNotNull();
    }

    @Test
    void closesOwedToTheServerTakeTheGeneralPath() {
        sendGenerally(new ClientMessages().parse("a", "SELECT 1").sync(), 200);
        server.unconfirmed("refused", server.register("refused")); // a Parse the server answered with an error

        assertThat(fastPath(new ClientMessages().bind("", "a").execute().sync(), 200)).isNull();
    }

    @Test
    void requestsNamingMoreThanTheLeadingBindTakeTheGeneralPath() {
        sendGenerally(new ClientMessages().parse("a", "SELECT 1").sync(), 200);
        sendGenerally(new ClientMessages().parse("b", "SELECT 2").sync(), 200);

        assertThat(fastPath(new ClientMessages().bind("", "a").describeStatement("a").execute().sync(), 200)).isNull();
        assertThat(fastPath(new ClientMessages().bind("", "a").bind("", "b").execute().sync(), 200)).isNull();
        assertThat(fastPath(new ClientMessages().describePortal("").bind("", "a").execute().sync(), 200)).isNull();
        assertThat(fastPath(new ClientMessages().bind("", "a").closeStatement("b").sync(), 200)).isNull();
        assertThat(fastPath(new ClientMessages().parse("", "SELECT 3").bind("", "a").sync(), 200)).isNull();
        assertThat(fastPath(new ClientMessages().bind("", "unknown").execute().sync(), 200)).isNull();
    }

    @Test
    void aLimitLoweredBelowWhatTheServerHoldsTakesTheGeneralPath() {
        sendGenerally(new ClientMessages().parse("a", "SELECT 1").sync(), 200);
        sendGenerally(new ClientMessages().parse("b", "SELECT 2").sync(), 200);

        assertThat(fastPath(new ClientMessages().bind("", "a").execute().sync(), 1)).as("the general path evicts").isNull();
    }
}
