package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regressions for the flaws that hit SCRAM implementations of poolers: over-long nonces and iteration
 * counts that overflow or would keep a thread hashing for hours. Each must end in a ScramException at once.
 */
class ScramLimitsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ScramSha256Client client() {
        return new ScramSha256Client("pencil", CLIENT_NONCE);
    }

    @Test
    void serverRefusesAClientNonceLongerThan1024Characters() {
        ScramSha256Server server = ScramSha256Server.forVerifier(ScramVerifiers.create("pencil", RANDOM), RANDOM);

        assertThatThrownBy(() -> server.serverFirstMessage(bytes("n,,n=,r=" + "x".repeat(1025))))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce longer than 1024");
    }

    @Test
    void serverAcceptsA1024CharacterClientNonce() {
        ScramSha256Server server = ScramSha256Server.forVerifier(ScramVerifiers.create("pencil", RANDOM), RANDOM);

        assertThat(new String(server.serverFirstMessage(bytes("n,,n=,r=" + "x".repeat(1024))), StandardCharsets.ISO_8859_1))
                .startsWith("r=" + "x".repeat(1024));
    }

    @Test
    void clientRefusesAServerNonceLongerThan1024Characters() {
        String serverFirst = "r=" + CLIENT_NONCE + "y".repeat(1025) + ",s=" + SALT + ",i=4096";

        assertThatThrownBy(() -> client().clientFinalMessage(bytes(serverFirst)))
                .isInstanceOf(ScramException.class).hasMessageContaining("server nonce longer than 1024");
    }

    @Test
    void clientRefusesAnIterationCountThatOverflowsAnInt() {
        for (String count : new String[] {"2147483648", "4294967296", "99999999999999999999", "-1", "+5", "0", "4096x"}) {
            String serverFirst = "r=" + CLIENT_NONCE + "srv,s=" + SALT + ",i=" + count;
            assertThatThrownBy(() -> client().clientFinalMessage(bytes(serverFirst))).as("i=%s", count)
                    .isInstanceOf(ScramException.class);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void clientRefusesAHugeIterationCountInsteadOfHashingForHours() {
        String serverFirst = "r=" + CLIENT_NONCE + "srv,s=" + SALT + ",i=2147483647";

        assertThatThrownBy(() -> client().clientFinalMessage(bytes(serverFirst)))
                .isInstanceOf(ScramException.class).hasMessageContaining("more than 1000000 SCRAM iterations");
    }

    @Test
    void clientStillAcceptsAHighButSaneIterationCount() {
        String serverFirst = "r=" + CLIENT_NONCE + "srv,s=" + SALT + ",i=" + ScramSha256Client.MAX_ITERATIONS;

        assertThat(client().clientFinalMessage(bytes(serverFirst))).isNotEmpty();
    }
}
