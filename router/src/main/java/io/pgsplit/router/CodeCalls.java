package io.pgsplit.router;

import java.util.ArrayList;
import java.util.List;

/**
 * The code a SQL string runs that pgsplit may not be able to follow, from its text alone: every function call in
 * it, wherever it runs, and whether it runs code no call names (a DO block, a maintenance command that evaluates
 * index or view expressions). A pooled connection that ran code not proven harmless to session state is reset
 * before its next client (see the proxy's reset rule). Calls of {@code set_config} with constant arguments are
 * left out: the proxy tracks those settings itself and undoes them for the next client.
 *
 * @param calls  the calls, in order, as written
 * @param opaque true when code runs that no call names
 */
public record CodeCalls(List<FunctionReference> calls, boolean opaque) {

    public static final CodeCalls NONE = new CodeCalls(List.of(), false);
    public static final CodeCalls OPAQUE = new CodeCalls(List.of(), true);

    public CodeCalls {
        calls = List.copyOf(calls);
    }

    public boolean isEmpty() {
        return calls.isEmpty() && !opaque;
    }

    /** Both together; allocates nothing when either is empty. */
    public CodeCalls and(CodeCalls other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<FunctionReference> all = new ArrayList<>(calls);
        all.addAll(other.calls);
        return new CodeCalls(all, opaque || other.opaque);
    }
}
