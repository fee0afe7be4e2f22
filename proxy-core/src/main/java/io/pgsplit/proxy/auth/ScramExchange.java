package io.pgsplit.proxy.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgsplit.protocol.auth.ScramException;
import io.pgsplit.protocol.auth.ScramLoginKeys;
import io.pgsplit.protocol.auth.ScramSha256Server;
import io.pgsplit.protocol.backend.AuthenticationSasl;
import io.pgsplit.protocol.backend.AuthenticationSaslContinue;
import io.pgsplit.protocol.backend.AuthenticationSaslFinal;
import io.pgsplit.protocol.frontend.SaslInitialResponse;
import io.pgsplit.protocol.frontend.SaslResponse;
import java.util.Optional;

/**
 * SCRAM-SHA-256 (and -PLUS on TLS) against the client. For an unknown user the exchange still runs to the end
 * against a throw-away verifier and then fails, as PostgreSQL does, so the answer does not reveal which user names
 * exist. Proof checks are two HMACs and a hash, cheap enough for the event loop; no key is derived here.
 */
final class ScramExchange implements ClientAuthExchange {
    private final ScramSha256Server server;
    private final boolean knownUser;
    /** What the servers get on success; null: the keys the client proves. */
    private final ServerLogin configuredLogin;
    private boolean firstDone;

    ScramExchange(ScramSha256Server server, boolean knownUser, ServerLogin configuredLogin) {
        this.server = server;
        this.knownUser = knownUser;
        this.configuredLogin = configuredLogin;
    }

    @Override
    public ByteBuf start(ByteBufAllocator alloc) {
        return new AuthenticationSasl(server.mechanisms()).encode(alloc);
    }

    @Override
    public AuthStep onPasswordMessage(ByteBuf body, ByteBufAllocator alloc) {
        try {
            if (!firstDone) {
                firstDone = true;
                SaslInitialResponse initial = SaslInitialResponse.decode(body);
                if (initial.data() == null) {
                    return new AuthStep.Failure("client sent no SASL initial response");
                }
                byte[] serverFirst = server.serverFirstMessage(initial.mechanism(), initial.data());
                return new AuthStep.Continue(new AuthenticationSaslContinue(serverFirst).encode(alloc));
            }
            Optional<byte[]> serverFinal = server.verifyClientFinal(SaslResponse.decode(body).data());
            Optional<ScramLoginKeys> proven = server.provenLoginKeys();
            if (serverFinal.isEmpty() || !knownUser || proven.isEmpty()) {
                return new AuthStep.Failure("SCRAM proof did not match");
            }
            ServerLogin login = configuredLogin != null ? configuredLogin : new ServerLogin.Scram(proven.get());
            return new AuthStep.Success(new AuthenticationSaslFinal(serverFinal.get()).encode(alloc), login);
        } catch (ScramException e) {
            return new AuthStep.Failure("malformed SCRAM message: " + e.getMessage());
        }
    }
}
