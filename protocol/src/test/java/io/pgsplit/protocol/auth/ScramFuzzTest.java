package io.pgsplit.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** SCRAM messages come from unauthenticated peers: malformed ones may only raise ScramException. */
class ScramFuzzTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String VERIFIER = ScramVerifiers.create("pencil", RANDOM);

    @Property(tries = 3_000)
    void serverParsesAnyClientFirstMessageSafely(@ForAll("scramish") String clientFirst) {
        try {
            ScramSha256Server.forVerifier(VERIFIER, RANDOM).serverFirstMessage(bytes(clientFirst));
        } catch (ScramException expected) {
            // refusing is fine; crashing is not
        }
    }

    @Property(tries = 3_000)
    void serverParsesAnyClientFinalMessageSafely(@ForAll("scramish") String clientFinal) {
        ScramSha256Server server = ScramSha256Server.forVerifier(VERIFIER, RANDOM);
        server.serverFirstMessage(bytes("n,,n=,r=abc"));
        try {
            server.verifyClientFinal(bytes(clientFinal));
        } catch (ScramException expected) {
            // refusing is fine; crashing is not
        }
    }

    @Property(tries = 3_000)
    void clientParsesAnyServerFirstMessageSafely(@ForAll("scramish") String serverFirst) {
        // A random client nonce never prefixes the fuzzed one, so no expensive key derivation runs.
        ScramSha256Client client = new ScramSha256Client("pencil", RANDOM);
        try {
            client.clientFinalMessage(bytes(serverFirst));
        } catch (ScramException expected) {
            // refusing is fine; crashing is not
        }
    }

    @Property(tries = 3_000)
    void clientParsesAnyServerFinalMessageSafely(@ForAll("scramish") String serverFinal) {
        ScramSha256Client client = new ScramSha256Client("pencil", "abc");
        client.clientFinalMessage(bytes("r=abcdef,s=c2FsdA==,i=1"));
        try {
            client.verifyServerFinal(bytes(serverFinal));
        } catch (ScramException expected) {
            // refusing is fine; crashing is not
        }
    }

    /** Strings built from SCRAM's syntax characters so parsers get past the first attribute. */
    @Provide
    Arbitrary<String> scramish() {
        return Arbitraries.strings().withChars("nyprcsimve=,abAB+/1\u00e9").ofMaxLength(40);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
