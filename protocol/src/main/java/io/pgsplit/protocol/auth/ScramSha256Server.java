package io.pgsplit.protocol.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Server side of SCRAM-SHA-256 (RFC 5802/7677) as PostgreSQL does it. On a TLS connection it can offer
 * SCRAM-SHA-256-PLUS with {@code tls-server-end-point} channel binding; the gs2 header must then agree with the
 * mechanism the client chose, and a client that says it could bind but thinks the server cannot ("y") is refused as
 * a downgrade. The user name inside the SCRAM message is ignored because PostgreSQL authenticates the startup packet's
 * user. One instance serves one exchange and is not thread-safe.
 */
public final class ScramSha256Server {
    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";

    private final ScramKeys keys;
    private final String serverNonce;
    private ChannelBinding binding;
    private boolean bindingSelected;
    private byte[] provenClientKey;
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

    /** Offers SCRAM-SHA-256-PLUS bound to this TLS channel; call before {@link #serverFirstMessage}. */
    public ScramSha256Server offerChannelBinding(ChannelBinding channelBinding) {
        this.binding = channelBinding;
        return this;
    }

    /** The mechanisms to announce in AuthenticationSASL, the bound one first as PostgreSQL does. */
    public List<String> mechanisms() {
        return binding == null ? List.of(MECHANISM) : List.of(MECHANISM_PLUS, MECHANISM);
    }

    /**
     * Answers the client-first-message (the SASLInitialResponse data) for the mechanism the client chose.
     *
     * @throws ScramException if the mechanism was not offered or the message does not agree with it
     */
    public byte[] serverFirstMessage(String mechanism, byte[] clientFirstMessage) {
        if (!mechanisms().contains(mechanism)) {
            throw new ScramException("client selected an invalid SASL authentication mechanism");
        }
        bindingSelected = MECHANISM_PLUS.equals(mechanism);
        return serverFirstMessage(clientFirstMessage);
    }

    /** Answers the client-first-message (the SASLInitialResponse data) with the server-first-message. */
    public byte[] serverFirstMessage(byte[] clientFirstMessage) {
        if (serverFirst != null) {
            throw new IllegalStateException("server-first-message already sent");
        }
        String message = ScramCrypto.text(clientFirstMessage);
        gs2Header = readGs2Header(message);
        checkBindingAgreement(gs2Header.charAt(0));
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
        if (!MessageDigest.isEqual(channelBinding, expectedChannelBinding())) {
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
        provenClientKey = clientKey;
        String serverFinal = "v=" + ScramCrypto.base64(ScramCrypto.hmac(keys.serverKey, authMessage));
        return Optional.of(ScramCrypto.bytes(serverFinal));
    }

    /**
     * The keys the client just proved it holds, for logging in to servers as this role without its password;
     * empty before a successful {@link #verifyClientFinal}.
     */
    public Optional<ScramLoginKeys> provenLoginKeys() {
        return provenClientKey == null ? Optional.empty()
                : Optional.of(new ScramLoginKeys(keys.salt, keys.iterations, provenClientKey, keys.serverKey));
    }

    /** The c= attribute: the gs2 header, followed by the certificate hash when the client bound the channel. */
    private byte[] expectedChannelBinding() {
        byte[] header = ScramCrypto.bytes(gs2Header);
        if (!bindingSelected) {
            return header;
        }
        byte[] data = binding.data();
        byte[] expected = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, expected, header.length, data.length);
        return expected;
    }

    /** PostgreSQL's rules (auth-scram.c): the gs2 flag must match the mechanism, and "y" is a downgrade under TLS. */
    private void checkBindingAgreement(char flag) {
        if (flag == 'p' && !bindingSelected) {
            throw new ScramException("malformed SCRAM message: the client selected SCRAM-SHA-256 without channel binding, "
                    + "but the SCRAM message includes channel binding data");
        }
        if (flag != 'p' && bindingSelected) {
            throw new ScramException("malformed SCRAM message: the client selected SCRAM-SHA-256-PLUS, "
                    + "but the SCRAM message does not include channel binding data");
        }
        if (flag == 'y' && binding != null) {
            throw new ScramException("SCRAM channel binding negotiation error: the client supports SCRAM channel binding "
                    + "but thinks the server does not; this server does support channel binding");
        }
    }

    /** Returns "n,,", "y,," or "p=tls-server-end-point,,"; an authorization identity is refused as by PostgreSQL. */
    private static String readGs2Header(String message) {
        int flagEnd;
        if (message.startsWith("p=")) {
            flagEnd = message.indexOf(',');
            if (flagEnd < 0 || !message.substring(2, flagEnd).equals(ChannelBinding.TLS_SERVER_END_POINT)) {
                throw new ScramException("unsupported SCRAM channel-binding type");
            }
        } else if (message.length() >= 2 && (message.charAt(0) == 'n' || message.charAt(0) == 'y') && message.charAt(1) == ',') {
            flagEnd = 1;
        } else {
            throw new ScramException("malformed SCRAM message: invalid GS2 header");
        }
        if (message.length() <= flagEnd + 1 || message.charAt(flagEnd + 1) != ',') {
            throw new ScramException("client uses authorization identity, but it is not supported");
        }
        return message.substring(0, flagEnd + 2);
    }

    /** RFC 5802 "printable": the nonce is echoed into the server-first-message, so it must not break its syntax. */
    private static void requirePrintableNonce(String nonce) {
        if (nonce.isEmpty()) {
            throw new ScramException("malformed SCRAM message: empty nonce");
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                throw new ScramException("non-printable characters in SCRAM nonce");
            }
        }
    }
}
