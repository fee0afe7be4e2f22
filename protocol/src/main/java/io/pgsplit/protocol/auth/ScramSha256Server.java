package io.pgsplit.protocol.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL does it: channel binding is never
 * offered, so the client's gs2 header must be "n,," or "y,,"; the user name inside the SCRAM message
 * is ignored because PostgreSQL authenticates the startup packet's user. One instance serves one
 * exchange and is not thread-safe.
 */
public final class ScramSha256Server {
    public static final String MECHANISM = "SCRAM-SHA-256";

    private final ScramKeys keys;
    private final String serverNonce;
    private String gs2Header;
    private String nonce;
    private String clientFirstBare;
    private String serverFirst;
    private boolean finished;

    ScramSha256Server(ScramKeys keys, String serverNonce) {
        this.keys = keys;
        this.serverNonce = serverNonce;
    }

    /**
     * For a password held in clear text. Derives a random salt and runs 4096 HMAC iterations:
     * prefer {@link #forVerifier} with a verifier computed once, and keep this off event loops.
     */
    public static ScramSha256Server forPassword(String password, SecureRandom random) {
        byte[] salt = ScramCrypto.randomBytes(random, ScramCrypto.SALT_LENGTH);
        return new ScramSha256Server(ScramKeys.fromPassword(password, salt, ScramCrypto.ITERATIONS), ScramCrypto.nonce(random));
    }

    /**
     * For a pg_authid-style verifier "SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey"; cheap.
     *
     * @throws IllegalArgumentException if the verifier is malformed
     */
    public static ScramSha256Server forVerifier(String rolpassword, SecureRandom random) {
        return new ScramSha256Server(ScramKeys.parse(rolpassword), ScramCrypto.nonce(random));
    }

    /** Answers the client-first-message (the SASLInitialResponse data) with the server-first-message. */
    public byte[] serverFirstMessage(byte[] clientFirstMessage) {
        if (serverFirst != null) {
            throw new IllegalStateException("server-first-message already sent");
        }
        String message = ScramCrypto.text(clientFirstMessage);
        gs2Header = readGs2Header(message);
        clientFirstBare = message.substring(gs2Header.length());
        ScramAttributeReader reader = new ScramAttributeReader(clientFirstBare);
        if (reader.peekName() == 'm') {
            throw new ScramException("client requires an unsupported SCRAM extension");
        }
        reader.read('n');
        String clientNonce = reader.read('r');
        requirePrintableNonce(clientNonce);
        while (reader.hasMore()) {
            reader.skipExtension();
        }
        nonce = clientNonce + serverNonce;
        serverFirst = "r=" + nonce + ",s=" + ScramCrypto.base64(keys.salt) + ",i=" + keys.iterations;
        return ScramCrypto.bytes(serverFirst);
    }

    /**
     * Checks the client's proof. Returns the server-final-message ("v=...") when the password is
     * right and empty when it is wrong, which the proxy reports as 28P01 like PostgreSQL.
     *
     * @throws ScramException if the message is malformed or does not continue this exchange
     */
    public Optional<byte[]> verifyClientFinal(byte[] clientFinalMessage) {
        if (serverFirst == null || finished) {
            throw new IllegalStateException("client-final-message out of sequence");
        }
        finished = true;
        String message = ScramCrypto.text(clientFinalMessage);
        ScramAttributeReader reader = new ScramAttributeReader(message);
        byte[] channelBinding = ScramCrypto.unbase64(reader.read('c'), "channel binding");
        if (!MessageDigest.isEqual(channelBinding, ScramCrypto.bytes(gs2Header))) {
            throw new ScramException("unexpected SCRAM channel-binding attribute in client-final-message");
        }
        if (!reader.read('r').equals(nonce)) {
            throw new ScramException("SCRAM nonce mismatch");
        }
        while (reader.peekName() != 'p') {
            reader.skipExtension();
        }
        int proofStart = reader.position();
        byte[] proof = ScramCrypto.unbase64(reader.read('p'), "proof");
        reader.requireEnd();
        if (proof.length != keys.storedKey.length) {
            throw new ScramException("malformed SCRAM message: invalid proof length");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + message.substring(0, proofStart - 1);
        byte[] clientKey = ScramCrypto.xor(proof, ScramCrypto.hmac(keys.storedKey, authMessage));
        if (!MessageDigest.isEqual(ScramCrypto.sha256(clientKey), keys.storedKey)) {
            return Optional.empty();
        }
        String serverFinal = "v=" + ScramCrypto.base64(ScramCrypto.hmac(keys.serverKey, authMessage));
        return Optional.of(ScramCrypto.bytes(serverFinal));
    }

    /**
     * Returns "n,," or "y,,". "p=" is refused because SCRAM-SHA-256-PLUS is never offered, and an
     * authorization identity because PostgreSQL does not support one either.
     */
    private static String readGs2Header(String message) {
        if (message.startsWith("p=")) {
            throw new ScramException("client requires SCRAM channel binding, but it is not supported");
        }
        if (message.length() < 3 || (message.charAt(0) != 'n' && message.charAt(0) != 'y') || message.charAt(1) != ',') {
            throw new ScramException("malformed SCRAM message: invalid GS2 header");
        }
        if (message.charAt(2) != ',') {
            throw new ScramException("client uses authorization identity, but it is not supported");
        }
        return message.substring(0, 3);
    }

    /** RFC 5802 "printable": the nonce is echoed into the server-first-message, so it must not break its syntax. */
    private static void requirePrintableNonce(String nonce) {
        if (nonce.isEmpty()) {
            throw new ScramException("malformed SCRAM message: empty nonce");
        }
        if (nonce.length() > ScramCrypto.MAX_NONCE_LENGTH) {
            throw new ScramException("malformed SCRAM message: nonce longer than " + ScramCrypto.MAX_NONCE_LENGTH + " characters");
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                throw new ScramException("non-printable characters in SCRAM nonce");
            }
        }
    }
}
