package io.pgsplit.protocol.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Client side of SCRAM-SHA-256, as libpq does it: no channel binding (gs2 header "n,,"), an empty
 * user name because the server takes it from the startup packet, and the password SASLprep'd the way
 * PostgreSQL prepared it when it stored the verifier. Instead of a password it can log in with the
 * ClientKey and ServerKey of the role ({@link ScramLoginKeys}), provided the server's verifier has the
 * same salt and iteration count. One instance serves one exchange.
 */
public final class ScramSha256Client {
    /** "n,," base64-encoded: the channel binding attribute that repeats the gs2 header. */
    private static final String CHANNEL_BINDING = "biws";

    private final String password;
    private final ScramLoginKeys loginKeys;
    private final SaltedPasswordCache cache;
    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] expectedServerSignature;
    private boolean verified;

    public ScramSha256Client(String password, SecureRandom random) {
        this(password, ScramCrypto.nonce(random), null);
    }

    /** With a cache, the key derivation runs once per password, salt and iteration count. */
    public ScramSha256Client(String password, SecureRandom random, SaltedPasswordCache cache) {
        this(password, ScramCrypto.nonce(random), cache);
    }

    /** Logs in with keys learned from a client's proof; nothing is derived, so no PBKDF2 rounds run. */
    public ScramSha256Client(ScramLoginKeys loginKeys, SecureRandom random) {
        this(null, loginKeys, ScramCrypto.nonce(random), null);
    }

    ScramSha256Client(String password, String clientNonce) {
        this(password, clientNonce, null);
    }

    ScramSha256Client(ScramLoginKeys loginKeys, String clientNonce) {
        this(null, loginKeys, clientNonce, null);
    }

    private ScramSha256Client(String password, String clientNonce, SaltedPasswordCache cache) {
        this(password, null, clientNonce, cache);
    }

    private ScramSha256Client(String password, ScramLoginKeys loginKeys, String clientNonce, SaltedPasswordCache cache) {
        this.password = password;
        this.loginKeys = loginKeys;
        this.cache = cache;
        this.clientNonce = clientNonce;
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    /** The SASLInitialResponse data. */
    public byte[] clientFirstMessage() {
        return ScramCrypto.bytes("n,," + clientFirstBare);
    }

    /**
     * Answers the server-first-message (AuthenticationSASLContinue data) with the proof. Runs the
     * server's iteration count of HMACs, so it belongs off the event loop.
     *
     * @throws ScramException if the message is malformed or the server's nonce does not extend ours
     */
    public byte[] clientFinalMessage(byte[] serverFirst) {
        if (expectedServerSignature != null) {
            throw new IllegalStateException("client-final-message already sent");
        }
        String serverFirstMessage = ScramCrypto.text(serverFirst);
        ScramAttributeReader reader = new ScramAttributeReader(serverFirstMessage);
        if (reader.peekName() == 'm') {
            throw new ScramException("server requires an unsupported SCRAM extension");
        }
        String nonce = reader.read('r');
        byte[] salt = ScramCrypto.unbase64(reader.read('s'), "salt");
        int iterations = parseIterations(reader.read('i'));
        while (reader.hasMore()) {
            reader.skipExtension();
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new ScramException("invalid SCRAM response (nonce mismatch)");
        }
        byte[][] keys = clientAndServerKey(salt, iterations);
        byte[] clientKey = keys[0];
        String withoutProof = "c=" + CHANNEL_BINDING + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirstMessage + "," + withoutProof;
        byte[] proof = ScramCrypto.xor(clientKey, ScramCrypto.hmac(ScramCrypto.sha256(clientKey), authMessage));
        expectedServerSignature = ScramCrypto.hmac(keys[1], authMessage);
        return ScramCrypto.bytes(withoutProof + ",p=" + ScramCrypto.base64(proof));
    }

    /**
     * Checks that the server knew the password too (AuthenticationSASLFinal data); without this a
     * server impostor could accept any password.
     *
     * @throws ScramException if the server reported an error or its signature is wrong
     */
    public void verifyServerFinal(byte[] serverFinal) {
        if (expectedServerSignature == null || verified) {
            throw new IllegalStateException("server-final-message out of sequence");
        }
        verified = true;
        ScramAttributeReader reader = new ScramAttributeReader(ScramCrypto.text(serverFinal));
        if (reader.peekName() == 'e') {
            throw new ScramException("server rejected SCRAM authentication: " + reader.read('e'));
        }
        byte[] signature = ScramCrypto.unbase64(reader.read('v'), "verifier");
        reader.requireEnd();
        if (!MessageDigest.isEqual(signature, expectedServerSignature)) {
            throw new ScramException("invalid SCRAM server signature");
        }
    }

    /** ClientKey and ServerKey for the server's salt: derived from the password, or the learned ones if they fit. */
    private byte[][] clientAndServerKey(byte[] salt, int iterations) {
        if (loginKeys != null) {
            if (!loginKeys.sameSaltAndIterations(salt, iterations)) {
                throw new ScramException("the server's SCRAM verifier for this role has another salt or iteration count "
                        + "than the one the client authenticated against; the server needs the same verifier (copy it from pg_authid)");
            }
            return new byte[][] {loginKeys.clientKey(), loginKeys.serverKey()};
        }
        byte[] saltedPassword = cache != null
                ? cache.saltedPassword(password, salt, iterations)
                : ScramCrypto.saltedPassword(password, salt, iterations);
        return new byte[][] {ScramCrypto.clientKey(saltedPassword), ScramCrypto.serverKey(saltedPassword)};
    }

    private static int parseIterations(String value) {
        int iterations;
        try {
            iterations = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            iterations = 0;
        }
        if (iterations <= 0) {
            throw new ScramException("malformed SCRAM message: invalid iteration count");
        }
        return iterations;
    }
}
