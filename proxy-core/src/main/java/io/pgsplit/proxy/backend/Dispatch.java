package io.pgsplit.proxy.backend;

/**
 * The reply bookkeeping of one dispatch to a server: how many Parse/Close messages the proxy
 * injected in front of the client's bytes (their replies are hidden), how many the client's part
 * holds (their replies pass), whether the dispatch ends a group with Sync or a simple Query, and
 * what the replies to renamed statements mean ({@code statements}, null when nothing was renamed).
 */
public record Dispatch(int injectedParses, int injectedCloses, int clientParses, int clientCloses, boolean endsWithSync,
                       StatementReplies statements) {

    public Dispatch(int injectedParses, int injectedCloses, int clientParses, int clientCloses, boolean endsWithSync) {
        this(injectedParses, injectedCloses, clientParses, clientCloses, endsWithSync, null);
    }
}
