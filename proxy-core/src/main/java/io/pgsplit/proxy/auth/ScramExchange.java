package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.ScramException;
import io.pgsplit.protocol.auth.ScramSha256Server;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.AuthenticationSaslFinal;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import java.util.List;
import java.util.Optional;

/**
 * SCRAM-SHA-256 against the client. For an unknown user the exchange still runs to the end against
 * a throw-away verifier and then fails, as PostgreSQL does, so the answer does not reveal which
 * user names exist.
 */
final class ScramExchange implements ClientAuthExchange {
    private final ScramSha256Server server;
    private final boolean knownUser;
    private boolean firstDone;

    ScramExchange(ScramSha256Server server, boolean knownUser) {
        this.server = server;
        this.knownUser = knownUser;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationSasl(List.of(ScramSha256Server.MECHANISM)).encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        try {
            if (!firstDone) {
                firstDone = true;
                SaslInitialResponse initial = SaslInitialResponse.decode(body);
                if (!ScramSha256Server.MECHANISM.equals(initial.mechanism()) || initial.data() == null) {
                    return new AuthStep.Failure("client selected an invalid SASL authentication mechanism");
                }
                byte[] serverFirst = server.serverFirstMessage(initial.data());
                return new AuthStep.Continue(new AuthenticationSaslContinue(serverFirst).encode(alloc));
            }
            Optional<byte[]> serverFinal = server.verifyClientFinal(SaslResponse.decode(body).data());
            if (serverFinal.isEmpty() || !knownUser) {
                return new AuthStep.Failure("SCRAM proof did not match");
            }
            return new AuthStep.Success(new AuthenticationSaslFinal(serverFinal.get()).encode(alloc));
        } catch (ScramException e) {
            return new AuthStep.Failure("malformed SCRAM message: " + e.getMessage());
        }
    }
}
