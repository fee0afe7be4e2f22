package io.pgsplit.protocol.backend;

import io.netty.buffer.ByteBuf;
import io.pgsplit.protocol.BodyReader;
import io.pgsplit.protocol.WireMessage;

/**
 * The 'R' messages: one type byte for every step of every method, told apart by an Int32 code.
 * The proxy acts on the methods it implements and reports the others as unsupported.
 */
public sealed interface AuthenticationMessage extends WireMessage
        permits AuthenticationOk, AuthenticationCleartextPassword, AuthenticationMd5Password, AuthenticationSasl,
        AuthenticationSaslContinue, AuthenticationSaslFinal, AuthenticationUnsupported {

    /** The Int32 that follows the header and selects the method and step. */
    int code();

    static AuthenticationMessage decode(ByteBuf body) {
        int code = BodyReader.int32(body, "Authentication");
        AuthenticationMessage message = switch (code) {
            case AuthenticationOk.CODE -> new AuthenticationOk();
            case AuthenticationCleartextPassword.CODE -> new AuthenticationCleartextPassword();
            case AuthenticationMd5Password.CODE ->
                    new AuthenticationMd5Password(BodyReader.bytes(body, AuthenticationMd5Password.SALT_LENGTH, "AuthenticationMD5Password"));
            case AuthenticationSasl.CODE -> AuthenticationSasl.decodeMechanisms(body);
            case AuthenticationSaslContinue.CODE -> new AuthenticationSaslContinue(BodyReader.remaining(body));
            case AuthenticationSaslFinal.CODE -> new AuthenticationSaslFinal(BodyReader.remaining(body));
            default -> {
                body.skipBytes(body.readableBytes()); // GSS and SSPI steps carry data we never interpret
                yield new AuthenticationUnsupported(code);
            }
        };
        BodyReader.requireEnd(body, "Authentication");
        return message;
    }
}
