package io.pgsplit.proxy.backend;

/**
 * The reply bookkeeping of one dispatch to a server: how many Parse/Close messages the proxy
 * injected in front of the client's bytes (their replies are hidden), how many the client's part
 * holds (their replies pass), whether the dispatch ends a group with Sync or a simple Query, and
 * what the replies to renamed statements mean ({@code statements}, null when nothing was renamed).
 */
public record Dispatch(int injectedParses, int injectedCloses, int clientParses, int clientCloses, boolean endsWithSync,
                       StatementReplies statements) {
    private static final Dispatch PLAIN_GROUP = new Dispatch(0, 0, 0, 0, true);
    private static final Dispatch ONE_PARSE_GROUP = new Dispatch(0, 0, 1, 0, true);

    public Dispatch(int injectedParses, int injectedCloses, int clientParses, int clientCloses, boolean endsWithSync) {
        this(injectedParses, injectedCloses, clientParses, clientCloses, endsWithSync, null);
    }

    /** The same, without a new object for the commonest groups (a Query or Bind/Execute/Sync; Parse/Bind/Execute/Sync). */
    public static Dispatch of(int injectedParses, int injectedCloses, int clientParses, int clientCloses,
                              boolean endsWithSync) {
        if (injectedParses == 0 && injectedCloses == 0 && clientCloses == 0 && endsWithSync && clientParses <= 1) {
            return clientParses == 0 ? PLAIN_GROUP : ONE_PARSE_GROUP;
        }
        return new Dispatch(injectedParses, injectedCloses, clientParses, clientCloses, endsWithSync);
    }
}
