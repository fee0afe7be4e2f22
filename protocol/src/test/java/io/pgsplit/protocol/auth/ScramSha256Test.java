package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScramSha256Test {
    private static final SecureRandom RANDOM = new SecureRandom();

    // RFC 7677 section 3: user "user", password "pencil".
    private static final String RFC_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC_SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String RFC_CLIENT_FIRST = "n,,n=user,r=" + RFC_CLIENT_NONCE;
    private static final String RFC_SERVER_FIRST = "r=" + RFC_CLIENT_NONCE + RFC_SERVER_NONCE + ",s=" + RFC_SALT + ",i=4096";
    private static final String RFC_CLIENT_FINAL = "c=biws,r=" + RFC_CLIENT_NONCE + RFC_SERVER_NONCE
            + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    // The RFC exchange as libpq sends it (empty user name), computed independently with Python's hashlib/hmac.
    private static final String LIBPQ_STYLE_CLIENT_FINAL = "c=biws,r=" + RFC_CLIENT_NONCE + RFC_SERVER_NONCE
            + ",p=qvT2SWdEH5Q06albL+hjSYuUhCG7VndFyzIb7CK4n9k=";
    private static final String LIBPQ_STYLE_SERVER_FINAL = "v=3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg=";
    private static final String PENCIL_VERIFIER = "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
            + "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    @Test
    void serverReproducesTheRfc7677Exchange() {
        ScramSha256Server server = new ScramSha256Server(rfcKeys(), RFC_SERVER_NONCE);
        assertThat(text(server.serverFirstMessage(bytes(RFC_CLIENT_FIRST)))).isEqualTo(RFC_SERVER_FIRST);
        assertThat(server.verifyClientFinal(bytes(RFC_CLIENT_FINAL))).map(ScramSha256Test::text).contains(RFC_SERVER_FINAL);
    }

    @Test
    void clientProducesTheIndependentlyComputedFixedNonceVector() {
        ScramSha256Client client = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        assertThat(text(client.clientFirstMessage())).isEqualTo("n,,n=,r=" + RFC_CLIENT_NONCE);
        assertThat(text(client.clientFinalMessage(bytes(RFC_SERVER_FIRST)))).isEqualTo(LIBPQ_STYLE_CLIENT_FINAL);
        assertThatCode(() -> client.verifyServerFinal(bytes(LIBPQ_STYLE_SERVER_FINAL))).doesNotThrowAnyException();
    }

    @Test
    void serverAcceptsTheFixedNonceVectorFromAVerifier() {
        ScramSha256Server server = new ScramSha256Server(ScramKeys.parse(PENCIL_VERIFIER), RFC_SERVER_NONCE);
        assertThat(text(server.serverFirstMessage(bytes("n,,n=,r=" + RFC_CLIENT_NONCE)))).isEqualTo(RFC_SERVER_FIRST);
        assertThat(server.verifyClientFinal(bytes(LIBPQ_STYLE_CLIENT_FINAL))).map(ScramSha256Test::text).contains(LIBPQ_STYLE_SERVER_FINAL);
    }

    @Test
    void serverSignsTheClientsExactBytesEvenWhenTheUserNameIsNotUtf8() {
        // Proof and signature computed with Python over the raw bytes "n=\xff,r=abc".
        ScramSha256Server server = new ScramSha256Server(rfcKeys(), "SRV");
        byte[] clientFirst = bytes("n,,n=?,r=abc");
        clientFirst[5] = (byte) 0xFF;
        server.serverFirstMessage(clientFirst);
        assertThat(server.verifyClientFinal(bytes("c=biws,r=abcSRV,p=eV2109wo3ik+mqSmzCGQhmBqwcI5iMXRAJ3PPCFxymk=")))
                .map(ScramSha256Test::text).contains("v=lphTszkvXXE33TpfFL32cmqaQ/FPHrrpx3+mvMFjOxg=");
    }

    @Test
    void clientAndServerAgreeOnTheRightPassword() {
        ScramSha256Server server = ScramSha256Server.forPassword("s3cr\u00e9t", RANDOM);
        ScramSha256Client client = new ScramSha256Client("s3cr\u00e9t", RANDOM);
        assertThat(exchange(client, server)).isPresent();
    }

    @Test
    void serverRefusesTheWrongPasswordWithoutAnException() {
        ScramSha256Server server = ScramSha256Server.forPassword("right", RANDOM);
        ScramSha256Client client = new ScramSha256Client("wrong", RANDOM);
        assertThat(exchange(client, server)).isEmpty();
    }

    @Test
    void clientAuthenticatesAgainstAVerifierBasedServer() {
        ScramSha256Server server = ScramSha256Server.forVerifier(ScramVerifiers.create("pencil", RANDOM), RANDOM);
        assertThat(exchange(new ScramSha256Client("pencil", RANDOM), server)).isPresent();
        ScramSha256Server another = ScramSha256Server.forVerifier(PENCIL_VERIFIER, RANDOM);
        assertThat(exchange(new ScramSha256Client("pencil!", RANDOM), another)).isEmpty();
    }

    @Test
    void clientAuthenticatesAgainstAVerifierPostgresStoredForANonAsciiPassword() {
        // CREATE ROLE ... PASSWORD U+2168 on PostgreSQL 15: stored as SASLprep'd "IX".
        String stored = "SCRAM-SHA-256$4096:mFcKWWi0ZRtF5pQJN4tqWg==$jwyOzwyGk2ZofaeQXuowZK9BA07C4/RZD1F0YM/GA8Y="
                + ":ztwmMxau/A9IYvsLGIAldJ71OydttF9Cs71+CxZitWQ=";
        assertThat(exchange(new ScramSha256Client("\u2168", RANDOM), ScramSha256Server.forVerifier(stored, RANDOM))).isPresent();
        assertThat(exchange(new ScramSha256Client("IX", RANDOM), ScramSha256Server.forVerifier(stored, RANDOM))).isPresent();
    }

    @Test
    void clientRejectsAServerThatDoesNotKnowThePassword() {
        ScramSha256Client client = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        client.clientFinalMessage(bytes(RFC_SERVER_FIRST));
        assertThatThrownBy(() -> client.verifyServerFinal(bytes(RFC_SERVER_FINAL)))
                .isInstanceOf(ScramException.class).hasMessageContaining("server signature");
    }

    @Test
    void clientReportsAServerError() {
        ScramSha256Client client = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        client.clientFinalMessage(bytes(RFC_SERVER_FIRST));
        assertThatThrownBy(() -> client.verifyServerFinal(bytes("e=invalid-proof")))
                .isInstanceOf(ScramException.class).hasMessageContaining("invalid-proof");
    }

    @Test
    void clientRejectsAServerNonceThatDoesNotExtendItsOwn() {
        ScramSha256Client client = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        assertThatThrownBy(() -> client.clientFinalMessage(bytes("r=other,s=" + RFC_SALT + ",i=4096")))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce mismatch");
        ScramSha256Client another = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        assertThatThrownBy(() -> another.clientFinalMessage(bytes("r=" + RFC_CLIENT_NONCE + ",s=" + RFC_SALT + ",i=4096")))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce mismatch");
    }

    @Test
    void clientRejectsMalformedServerFirstMessages() {
        assertClientRejects("s=" + RFC_SALT + ",r=x,i=4096", "expected attribute 'r'");
        assertClientRejects("r=" + RFC_CLIENT_NONCE + "x,s=" + RFC_SALT + ",i=0", "iteration count");
        assertClientRejects("r=" + RFC_CLIENT_NONCE + "x,s=" + RFC_SALT + ",i=many", "iteration count");
        assertClientRejects("r=" + RFC_CLIENT_NONCE + "x,s=!!!,i=4096", "base64");
        assertClientRejects("m=ext,r=" + RFC_CLIENT_NONCE + "x,s=" + RFC_SALT + ",i=4096", "extension");
    }

    @Test
    void serverRefusesChannelBindingAndAuthorizationIdentities() {
        assertServerFirstRejects("p=tls-server-end-point,,n=,r=abc", "channel binding");
        assertServerFirstRejects("n,a=admin,n=,r=abc", "authorization identity");
        assertServerFirstRejects("x,,n=,r=abc", "GS2 header");
        assertServerFirstRejects("n,,m=ext,n=,r=abc", "extension");
        assertServerFirstRejects("n,,n=,r=a\u00e9", "non-printable");
        assertServerFirstRejects("n,,n=,r=", "empty nonce");
        assertServerFirstRejects("n,,r=abc", "expected attribute 'n'");
        assertServerFirstRejects("n,,n=,r=abc,", "trailing comma");
    }

    @Test
    void serverAcceptsAClientThatSupportsChannelBindingButSawNoPlusMechanism() {
        ScramSha256Server server = new ScramSha256Server(rfcKeys(), "SRV");
        server.serverFirstMessage(bytes("y,,n=,r=abc"));
        // The channel binding attribute must repeat "y,," (base64 "eSws"): the header check passes, the zero proof does not.
        assertThat(server.verifyClientFinal(bytes("c=eSws,r=abcSRV,p=" + zeroProof()))).isEmpty();
        ScramSha256Server another = new ScramSha256Server(rfcKeys(), "SRV");
        another.serverFirstMessage(bytes("y,,n=,r=abc"));
        assertThatThrownBy(() -> another.verifyClientFinal(bytes("c=biws,r=abcSRV,p=" + zeroProof())))
                .isInstanceOf(ScramException.class).hasMessageContaining("channel-binding");
    }

    @Test
    void serverRejectsANonceMismatchInTheClientFinalMessage() {
        ScramSha256Server server = new ScramSha256Server(rfcKeys(), "SRV");
        server.serverFirstMessage(bytes("n,,n=,r=abc"));
        assertThatThrownBy(() -> server.verifyClientFinal(bytes("c=biws,r=abcSRVforged,p=" + zeroProof())))
                .isInstanceOf(ScramException.class).hasMessageContaining("nonce mismatch");
    }

    @Test
    void serverRejectsMalformedProofs() {
        ScramSha256Server server = new ScramSha256Server(rfcKeys(), RFC_SERVER_NONCE);
        server.serverFirstMessage(bytes(RFC_CLIENT_FIRST));
        String prefix = "c=biws,r=" + RFC_CLIENT_NONCE + RFC_SERVER_NONCE;
        assertThatThrownBy(() -> server.verifyClientFinal(bytes(prefix + ",p=AAAA")))
                .isInstanceOf(ScramException.class).hasMessageContaining("proof length");
    }

    @Test
    void serverSkipsExtensionsBeforeTheProof() {
        ScramSha256Server server = ScramSha256Server.forPassword("pencil", RANDOM);
        ScramSha256Client client = new ScramSha256Client("pencil", RANDOM);
        byte[] serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        String clientFinal = text(client.clientFinalMessage(serverFirst));
        String withExtension = clientFinal.replace(",p=", ",x=ignored,p=");
        // The extension is part of the signed message, so the proof no longer matches: refused, not an error.
        assertThat(server.verifyClientFinal(bytes(withExtension))).isEmpty();
    }

    @Test
    void exchangesAreSingleUse() {
        ScramSha256Server server = ScramSha256Server.forPassword("pencil", RANDOM);
        assertThatThrownBy(() -> server.verifyClientFinal(bytes("c=biws"))).isInstanceOf(IllegalStateException.class);
        ScramSha256Client client = new ScramSha256Client("pencil", RANDOM);
        assertThat(exchange(client, server)).isPresent();
        assertThatThrownBy(() -> server.serverFirstMessage(client.clientFirstMessage())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.verifyServerFinal(bytes("v=x"))).isInstanceOf(IllegalStateException.class);
    }

    /** Runs a whole exchange; returns the server-final-message the client verified, or empty when the server refused. */
    @Test
    void withChannelBindingOfferedPlusComesFirstAndAClientThatCouldBindButDidNotIsADowngrade() {
        ScramSha256Server server = ScramSha256Server.forPassword("x", RANDOM).offerChannelBinding(ChannelBinding.ofData(new byte[32]));
        assertThat(server.mechanisms()).containsExactly(ScramSha256Server.MECHANISM_PLUS, ScramSha256Server.MECHANISM);
        assertThatThrownBy(() -> server.serverFirstMessage(ScramSha256Server.MECHANISM, bytes("y,,n=,r=abc")))
                .isInstanceOf(ScramException.class).hasMessageContaining("negotiation error");
    }

    @Test
    void choosingPlusWithoutBindingDataOrBindingWithoutPlusIsRefused() {
        ScramSha256Server plus = ScramSha256Server.forPassword("x", RANDOM).offerChannelBinding(ChannelBinding.ofData(new byte[32]));
        assertThatThrownBy(() -> plus.serverFirstMessage(ScramSha256Server.MECHANISM_PLUS, bytes("n,,n=,r=abc")))
                .isInstanceOf(ScramException.class).hasMessageContaining("does not include channel binding data");
        ScramSha256Server notOffered = ScramSha256Server.forPassword("x", RANDOM);
        assertThatThrownBy(() -> notOffered.serverFirstMessage(ScramSha256Server.MECHANISM_PLUS, bytes("p=tls-server-end-point,,n=,r=abc")))
                .isInstanceOf(ScramException.class).hasMessageContaining("invalid SASL authentication mechanism");
    }

    @Test
    void aBoundExchangeChecksTheCertificateHashInTheClientFinalMessage() {
        byte[] hash = new byte[32];
        ScramSha256Server server = ScramSha256Server.forPassword("pencil", RANDOM).offerChannelBinding(ChannelBinding.ofData(hash));
        byte[] serverFirst = server.serverFirstMessage(ScramSha256Server.MECHANISM_PLUS, bytes("p=tls-server-end-point,,n=,r=abc"));
        String nonce = text(serverFirst).substring(2, text(serverFirst).indexOf(','));
        // The c= attribute without the certificate hash, as a man in the middle with another certificate would send.
        String unbound = Base64.getEncoder().encodeToString(bytes("p=tls-server-end-point,,"));
        assertThatThrownBy(() -> server.verifyClientFinal(bytes("c=" + unbound + ",r=" + nonce + ",p=" + zeroProof())))
                .isInstanceOf(ScramException.class).hasMessageContaining("channel-binding");
    }

    private static Optional<byte[]> exchange(ScramSha256Client client, ScramSha256Server server) {
        byte[] serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        Optional<byte[]> serverFinal = server.verifyClientFinal(client.clientFinalMessage(serverFirst));
        serverFinal.ifPresent(client::verifyServerFinal);
        return serverFinal;
    }

    private static ScramKeys rfcKeys() {
        return ScramKeys.fromPassword("pencil", Base64.getDecoder().decode(RFC_SALT), 4096);
    }

    private static String zeroProof() {
        return Base64.getEncoder().encodeToString(new byte[32]);
    }

    private static void assertClientRejects(String serverFirst, String reason) {
        ScramSha256Client client = new ScramSha256Client("pencil", RFC_CLIENT_NONCE);
        assertThatThrownBy(() -> client.clientFinalMessage(bytes(serverFirst))).isInstanceOf(ScramException.class).hasMessageContaining(reason);
    }

    private static void assertServerFirstRejects(String clientFirst, String reason) {
        ScramSha256Server server = ScramSha256Server.forPassword("pencil", RANDOM);
        assertThatThrownBy(() -> server.serverFirstMessage(bytes(clientFirst))).isInstanceOf(ScramException.class).hasMessageContaining(reason);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
