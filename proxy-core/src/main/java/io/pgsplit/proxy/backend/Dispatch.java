package io.pgsplit.proxy.backend;

/**
 * The reply bookkeeping of one dispatch to a server: how many Parse/Close messages the proxy
 * injected in front of the client's bytes (their replies are hidden), how many the client sent
 * (their replies pass), and whether the dispatch ends a group with Sync or a simple Query.
 */
public record Dispatch(int injectedParses, int injectedCloses, int clientParses, int clientCloses, boolean endsWithSync) {
}
