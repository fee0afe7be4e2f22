package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import java.util.Set;

/**
 * A method the proxy cannot perform (Kerberos, GSSAPI, SSPI, ...), kept by code so the proxy can
 * name it in its error. Encodes only the code: enough for the methods whose request has no payload.
 */
public record AuthenticationUnsupported(int code) implements AuthenticationMessage {
    private static final Set<Integer> SUPPORTED_CODES = Set.of(AuthenticationOk.CODE, AuthenticationCleartextPassword.CODE,
            AuthenticationMd5Password.CODE, AuthenticationSasl.CODE, AuthenticationSaslContinue.CODE, AuthenticationSaslFinal.CODE);

    public AuthenticationUnsupported {
        if (SUPPORTED_CODES.contains(code)) {
            throw new IllegalArgumentException("authentication code " + code + " has its own message type");
        }
    }

    @Override
    public int encodedLength() {
        return AuthenticationEncoding.CODE_ONLY_LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        AuthenticationEncoding.encode(out, code);
    }
}
