package io.pgsplit.proxy.backend;

import io.pgsplit.proxy.statements.ServerStatements;
import java.util.BitSet;
import java.util.List;

/**
 * What the replies to one dispatch's renamed statements mean. {@code parses}: one entry per Parse
 * sent, in send order (injected ones first), the server statement it creates or null (the unnamed
 * statement); a Parse not answered with ParseComplete leaves its statement unconfirmed. {@code
 * closesAsParse}: which of the client section's Close messages stand for a Parse pgsplit did not
 * send (the server already held the statement): their CloseComplete reaches the client as the
 * ParseComplete it expects, in the very position the server answered it.
 */
public record StatementReplies(List<Registration> parses, BitSet closesAsParse) {

    /** A statement this dispatch prepares on the server, under {@code contentKey}. */
    public record Registration(String contentKey, ServerStatements.Held held) {
    }
}
