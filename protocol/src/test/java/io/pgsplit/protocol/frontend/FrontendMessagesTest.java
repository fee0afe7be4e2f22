package io.pgsplit.protocol.frontend;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.decodeBody;
import static io.pgsplit.protocol.WireAssertions.decodeMessage;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FrontendMessagesTest {

    @Test
    void query() {
        byte[] bytes = wire('Q', 13, "SELECT 1", NUL);
        assertThat(decodeMessage(bytes, MessageTypes.QUERY, Query::decode)).isEqualTo(new Query("SELECT 1"));
        assertEncodes(new Query("SELECT 1"), bytes);
    }

    @Test
    void queryLengthCountsUtf8BytesNotCharacters() {
        byte[] bytes = wire('Q', 16, "SELECT '\u00e9'", NUL);
        assertThat(decodeMessage(bytes, MessageTypes.QUERY, Query::decode)).isEqualTo(new Query("SELECT '\u00e9'"));
        assertEncodes(new Query("SELECT '\u00e9'"), bytes);
    }

    @Test
    void queryWithoutTerminatorOrWithTrailingBytesIsMalformed() {
        assertMalformed(wire("SELECT 1"), Query::decode, "terminator");
        assertMalformed(wire("SELECT 1", NUL, 'x'), Query::decode, "trailing");
    }

    /** The in-place read of the per-request path: same text, same errors as decode. */
    @Test
    void querySqlReadInPlaceAgreesWithDecode() {
        ByteBuf buf = Unpooled.wrappedBuffer(wire("xx", "SELECT '\u00e9'", NUL, "yy"));
        assertThat(Query.sqlAt(buf, 2, buf.writerIndex() - 2)).isEqualTo("SELECT '\u00e9'");
        assertThatThrownBy(() -> Query.sqlAt(buf, 2, 6)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("terminator");
        assertThatThrownBy(() -> Query.sqlAt(buf, 2, buf.writerIndex())).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void bindStatementNameStartsPastThePortalName() {
        ByteBuf buf = Unpooled.wrappedBuffer(wire("portal", NUL, "stmt", NUL));
        assertThat(BindTarget.statementNameIndex(buf, 0, buf.writerIndex())).isEqualTo(7);
        assertThatThrownBy(() -> BindTarget.statementNameIndex(buf, 0, 6)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void parseWithNamedStatementAndParameterTypes() {
        byte[] bytes = wire('P', 23, "s1", NUL, "SELECT $1", NUL, (short) 1, 23);
        Parse parse = new Parse("s1", "SELECT $1", new int[] {23});
        assertThat(decodeMessage(bytes, MessageTypes.PARSE, Parse::decode)).isEqualTo(parse);
        assertEncodes(parse, bytes);
    }

    @Test
    void parseOfTheUnnamedStatementWithoutTypes() {
        byte[] bytes = wire('P', 16, NUL, "SELECT 1", NUL, (short) 0);
        assertThat(decodeMessage(bytes, MessageTypes.PARSE, Parse::decode)).isEqualTo(new Parse("", "SELECT 1", new int[0]));
    }

    @Test
    void parseReadsItsParameterCountAsUnsigned() {
        byte[] body = wire(NUL, "x", NUL, (short) 0xFFFF);
        assertMalformed(body, Parse::decode, "65535 elements do not fit");
    }

    @Test
    void parseWithFewerTypesThanItsCountIsMalformed() {
        assertMalformed(wire("s", NUL, "q", NUL, (short) 2, 23), Parse::decode, "do not fit");
    }

    @Test
    void parseIsImmutableAndComparesTypesByValue() {
        int[] types = {23};
        Parse parse = new Parse("", "q", types);
        types[0] = 25;
        parse.parameterTypes()[0] = 25;
        assertThat(parse.parameterTypes()).containsExactly(23);
        assertThat(parse).hasSameHashCodeAs(new Parse("", "q", new int[] {23})).hasToString("Parse[statementName=, sql=q, parameterTypes=[23]]");
    }

    @Test
    void bindTargetReadsOnlyThePortalAndStatementNames() {
        byte[] body = wire("p1", NUL, "s1", NUL, (short) 0, (short) 1, 4, "1234", (short) 0);
        BindTarget target = decodeBody(body, buf -> {
            BindTarget decoded = BindTarget.decode(buf);
            assertThat(buf.readerIndex()).as("reader index after the two names").isEqualTo(6);
            return decoded;
        });
        assertThat(target).isEqualTo(new BindTarget("p1", "s1"));
    }

    @Test
    void describeStatementAndPortal() {
        byte[] statement = wire('D', 8, 'S', "s1", NUL);
        assertThat(decodeMessage(statement, MessageTypes.DESCRIBE, Describe::decode)).isEqualTo(new Describe(TargetKind.STATEMENT, "s1"));
        assertEncodes(new Describe(TargetKind.STATEMENT, "s1"), statement);
        byte[] portal = wire('D', 6, 'P', NUL);
        assertThat(decodeMessage(portal, MessageTypes.DESCRIBE, Describe::decode)).isEqualTo(new Describe(TargetKind.PORTAL, ""));
        assertEncodes(new Describe(TargetKind.PORTAL, ""), portal);
    }

    @Test
    void describeOrCloseWithAnUnknownSubtypeIsMalformed() {
        assertMalformed(wire('X', "s1", NUL), Describe::decode, "invalid Describe message subtype 0x58");
        assertMalformed(wire('X', "s1", NUL), Close::decode, "invalid Close message subtype 0x58");
        assertThatThrownBy(() -> new Describe((byte) 'X', "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void execute() {
        byte[] unnamed = wire('E', 9, NUL, 0);
        assertThat(decodeMessage(unnamed, MessageTypes.EXECUTE, Execute::decode)).isEqualTo(new Execute("", 0));
        assertEncodes(new Execute("", 0), unnamed);
        byte[] limited = wire('E', 11, "p1", NUL, 100);
        assertThat(decodeMessage(limited, MessageTypes.EXECUTE, Execute::decode)).isEqualTo(new Execute("p1", 100));
        assertEncodes(new Execute("p1", 100), limited);
    }

    @Test
    void executeWithATruncatedRowLimitIsMalformed() {
        assertMalformed(wire(NUL, (short) 1), Execute::decode, "insufficient data");
    }

    @Test
    void close() {
        byte[] bytes = wire('C', 8, 'S', "s1", NUL);
        assertThat(decodeMessage(bytes, MessageTypes.CLOSE, Close::decode)).isEqualTo(new Close(TargetKind.STATEMENT, "s1"));
        assertEncodes(new Close(TargetKind.STATEMENT, "s1"), bytes);
    }

    @Test
    void bodylessMessages() {
        assertEncodes(Sync::encode, Sync::encode, wire('S', 4));
        assertEncodes(Flush::encode, Flush::encode, wire('H', 4));
        assertEncodes(Terminate::encode, Terminate::encode, wire('X', 4));
    }

    @Test
    void passwordMessageHidesThePasswordFromToString() {
        byte[] bytes = wire('p', 11, "secret", NUL);
        PasswordMessage message = decodeMessage(bytes, MessageTypes.PASSWORD, PasswordMessage::decode);
        assertThat(message.password()).isEqualTo("secret");
        assertThat(message.toString()).doesNotContain("secret");
        assertEncodes(new PasswordMessage("secret"), bytes);
    }

    @Test
    void saslInitialResponseWithData() {
        byte[] bytes = wire('p', 33, "SCRAM-SHA-256", NUL, 11, "n,,n=,r=abc");
        SaslInitialResponse response = new SaslInitialResponse("SCRAM-SHA-256", ascii("n,,n=,r=abc"));
        assertThat(decodeMessage(bytes, MessageTypes.PASSWORD, SaslInitialResponse::decode)).isEqualTo(response);
        assertEncodes(response, bytes);
    }

    @Test
    void saslInitialResponseWithoutDataUsesLengthMinusOne() {
        byte[] bytes = wire('p', 22, "SCRAM-SHA-256", NUL, -1);
        SaslInitialResponse response = decodeMessage(bytes, MessageTypes.PASSWORD, SaslInitialResponse::decode);
        assertThat(response.data()).isNull();
        assertEncodes(new SaslInitialResponse("SCRAM-SHA-256", null), bytes);
    }

    @Test
    void saslInitialResponseWithABadDataLengthIsMalformed() {
        assertMalformed(wire("SCRAM-SHA-256", NUL, -2), SaslInitialResponse::decode, "invalid data length -2");
        assertMalformed(wire("SCRAM-SHA-256", NUL, 5, "abc"), SaslInitialResponse::decode, "insufficient data");
    }

    @Test
    void saslResponseIsTheWholeBody() {
        byte[] bytes = wire('p', 10, "c=biws");
        SaslResponse response = new SaslResponse(ascii("c=biws"));
        assertThat(decodeMessage(bytes, MessageTypes.PASSWORD, SaslResponse::decode)).isEqualTo(response);
        assertEncodes(response, bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertMalformed(byte[] body, Function<ByteBuf, ?> decoder, String reason) {
        assertThatThrownBy(() -> decodeBody(body, decoder)).isInstanceOf(MalformedMessageException.class).hasMessageContaining(reason);
    }
}
