package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** PgBouncer's technique: the ClientKey a client proves against a verifier logs in to servers with the same verifier. */
class ScramLoginKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void keysAClientProvedLogInToAServerHoldingTheSameVerifier() {
        String verifier = ScramVerifiers.create("only-the-client-knows", RANDOM);
        ScramLoginKeys learned = proveAgainst(verifier, "only-the-client-knows").orElseThrow();

        ScramSha256Server server = ScramSha256Server.forVerifier(verifier, RANDOM);
        ScramSha256Client proxy = new ScramSha256Client(learned, RANDOM);
        byte[] serverFirst = server.serverFirstMessage(proxy.clientFirstMessage());
        Optional<byte[]> serverFinal = server.verifyClientFinal(proxy.clientFinalMessage(serverFirst));

        assertThat(serverFinal).isPresent();
        proxy.verifyServerFinal(serverFinal.get()); // the server proved it knows the ServerKey too
        assertThat(learned.matches(verifier)).isTrue();
    }

    @Test
    void aWrongPasswordTeachesNoKeys() {
        String verifier = ScramVerifiers.create("right", RANDOM);
        assertThat(proveAgainst(verifier, "wrong")).isEmpty();
    }

    @Test
    void learnedKeysRefuseAServerWhoseVerifierHasAnotherSalt() {
        ScramLoginKeys learned = proveAgainst(ScramVerifiers.create("same-password", RANDOM), "same-password").orElseThrow();
        ScramSha256Server server = ScramSha256Server.forVerifier(ScramVerifiers.create("same-password", RANDOM), RANDOM);
        ScramSha256Client proxy = new ScramSha256Client(learned, RANDOM);
        byte[] serverFirst = server.serverFirstMessage(proxy.clientFirstMessage());

        assertThatThrownBy(() -> proxy.clientFinalMessage(serverFirst))
                .isInstanceOf(ScramException.class).hasMessageContaining("salt");
    }

    @Test
    void keysDerivedFromACleartextPasswordMatchOnlyTheirVerifier() {
        String verifier = ScramVerifiers.create("pencil", RANDOM);
        assertThat(ScramLoginKeys.fromPassword("pencil", verifier).matches(verifier)).isTrue();
        assertThat(ScramLoginKeys.fromPassword("pen", verifier).matches(verifier)).isFalse();
    }

    @Test
    void keysNeverShowInLogs() {
        String verifier = ScramVerifiers.create("pencil", RANDOM);
        assertThat(ScramLoginKeys.fromPassword("pencil", verifier).toString()).isEqualTo("ScramLoginKeys[iterations=4096]");
    }

    private static Optional<ScramLoginKeys> proveAgainst(String verifier, String password) {
        ScramSha256Server server = ScramSha256Server.forVerifier(verifier, RANDOM);
        ScramSha256Client client = new ScramSha256Client(password, RANDOM);
        byte[] serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        server.verifyClientFinal(client.clientFinalMessage(serverFirst));
        return server.provenLoginKeys();
    }
}
