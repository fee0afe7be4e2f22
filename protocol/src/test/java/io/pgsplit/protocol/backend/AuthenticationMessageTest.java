package io.pgsplit.protocol.backend;

import static io.pgsplit.protocol.WireAssertions.NUL;
import static io.pgsplit.protocol.WireAssertions.assertEncodes;
import static io.pgsplit.protocol.WireAssertions.decodeBody;
import static io.pgsplit.protocol.WireAssertions.decodeMessage;
import static io.pgsplit.protocol.WireAssertions.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.protocol.MalformedMessageException;
import io.pgsplit.protocol.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationMessageTest {

    @Test
    void ok() {
        assertRoundTrip(wire('R', 8, 0), new AuthenticationOk());
    }

    @Test
    void cleartextPassword() {
        assertRoundTrip(wire('R', 8, 3), new AuthenticationCleartextPassword());
    }

    @Test
    void md5PasswordCarriesAFourByteSalt() {
        byte[] salt = {1, 2, 3, (byte) 0xFF};
        assertRoundTrip(wire('R', 12, 5, salt), new AuthenticationMd5Password(salt));
    }

    @Test
    void saslListsMechanismsUpToAnEmptyName() {
        byte[] bytes = wire('R', 42, 10, "SCRAM-SHA-256-PLUS", NUL, "SCRAM-SHA-256", NUL, NUL);
        AuthenticationSasl sasl = new AuthenticationSasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
        assertRoundTrip(bytes, sasl);
    }

    @Test
    void saslContinueAndFinalCarryTheRestOfTheBody() {
        assertRoundTrip(wire('R', 13, 11, "r=abc"), new AuthenticationSaslContinue(ascii("r=abc")));
        assertRoundTrip(wire('R', 13, 12, "v=xyz"), new AuthenticationSaslFinal(ascii("v=xyz")));
    }

    @Test
    void methodsTheProxyCannotPerformAreKeptByCode() {
        assertRoundTrip(wire('R', 8, 7), new AuthenticationUnsupported(7));
        AuthenticationMessage gssContinue = decodeMessage(wire('R', 11, 8, "abc"), MessageTypes.AUTHENTICATION, AuthenticationMessage::decode);
        assertThat(gssContinue).isEqualTo(new AuthenticationUnsupported(8));
        assertThatThrownBy(() -> new AuthenticationUnsupported(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedAuthenticationMessagesAreRejected() {
        assertMalformed(wire((short) 0), "insufficient data");
        assertMalformed(wire(0, 'x'), "trailing");
        assertMalformed(wire(5, (byte) 1, (byte) 2, (byte) 3), "insufficient data");
        assertMalformed(wire(10, "SCRAM-SHA-256", NUL), "terminator");
    }

    private static void assertRoundTrip(byte[] bytes, AuthenticationMessage message) {
        assertThat(decodeMessage(bytes, MessageTypes.AUTHENTICATION, AuthenticationMessage::decode)).isEqualTo(message);
        assertEncodes(message, bytes);
    }

    private static void assertMalformed(byte[] body, String reason) {
        assertThatThrownBy(() -> decodeBody(body, AuthenticationMessage::decode))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining(reason);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
