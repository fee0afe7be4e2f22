package io.pgsplit.proxy.session;

import static io.pgsplit.proxy.session.ClientMessages.preparedStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.frontend.Describe;
import io.pgsplit.proxy.statements.PreparedStatementDef;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scanner reads a well-formed Describe in place, and refuses a malformed one as {@link Describe#decode} does. */
class DescribeScanTest {
    private final SegmentScanner scanner = new SegmentScanner(1 << 16, 1 << 12);
    private final Map<String, PreparedStatementDef> statements = Map.of("S_1", preparedStatement("S_1", "SELECT 1"));

    private Segment scan(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Segment segment = new Segment();
            scanner.scan(buf, segment, statements);
            return segment;
        } finally {
            buf.release();
        }
    }

    /** A Describe of {@code kind} whose body is the kind, {@code name} and its NUL, then {@code extra}. */
    private static byte[] describe(char kind, String name, byte... extra) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer();
        out.writeByte('D').writeInt(4 + 1 + nameBytes.length + 1 + extra.length).writeByte(kind)
                .writeBytes(nameBytes).writeByte(0).writeBytes(extra);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes).release();
        return bytes;
    }

    private static byte[] then(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static final byte[] SYNC = new ClientMessages().sync().bytes();

    @Test
    void aDescribeOfThePortalNamesNoStatement() {
        Segment segment = scan(then(describe('P', "p1"), SYNC));

        assertThat(segment.end).isEqualTo(Segment.End.READY_FOR_QUERY);
        assertThat(segment.referenced).isEmpty();
        assertThat(segment.namesStatements()).isFalse();
    }

    @Test
    void aDescribeOfAStatementReferencesItsDefinition() {
        Segment segment = scan(then(describe('S', "S_1"), SYNC));

        assertThat(segment.referenced).singleElement().isSameAs(statements.get("S_1"));
        assertThat(segment.namedStatementMessages).isEqualTo(1);
        assertThat(segment.leadingBindName).as("only a Bind takes the renaming's fast path").isNull();
    }

    @Test
    void malformedDescribesAreRefusedAsTheDecoderRefusesThem() {
        assertThatThrownBy(() -> scan(then(describe('X', "p1"), SYNC)))
                .hasMessage(catchMessage(describe('X', "p1")));
        assertThatThrownBy(() -> scan(then(describe('P', "p1", (byte) 'x'), SYNC)))
                .hasMessage(catchMessage(describe('P', "p1", (byte) 'x')));
        assertThatThrownBy(() -> scan(then(describe('S', "S_1", (byte) 0), SYNC)))
                .hasMessage(catchMessage(describe('S', "S_1", (byte) 0)));
    }

    private static String catchMessage(byte[] message) {
        ByteBuf body = Unpooled.wrappedBuffer(message, 5, message.length - 5);
        try {
            Describe.decode(body);
            throw new AssertionError("decoded");
        } catch (RuntimeException e) {
            return e.getMessage();
        } finally {
            body.release();
        }
    }
}
