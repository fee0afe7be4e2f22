package io.pgsplit.proxy.backend;

import io.pgsplit.proxy.statements.ServerStatements;
import java.util.ArrayDeque;

/**
 * What a backend still owes for the work sent to it, in send order, so its answers can be
 * filtered without decoding them:
 * <ul>
 *   <li>a query the proxy injected (replaying session settings or SQL PREPAREs) is answered in
 *       full, up to its ReadyForQuery, and all of that is hidden from the client;</li>
 *   <li>ParseComplete and CloseComplete replies to Parse/Close messages the proxy injected in front
 *       of a client's group are hidden; the client's own pass. Injected messages precede the
 *       client's, so within one entry the first such replies are the hidden ones.</li>
 * </ul>
 * It also remembers whether a group saw an ErrorResponse, so session state is only recorded for
 * work that succeeded, and which statements a dispatch prepared were confirmed by ParseComplete
 * ({@link StatementReplies}): the rest are forgotten on the server's bookkeeping after an error.
 */
final class PendingResponses {

    /** What a CloseComplete is to the client. */
    enum CloseReply { HIDE, PASS, AS_PARSE_COMPLETE }

    /** Reused once answered (see {@link #spare}): one is needed per request sent. */
    private static final class Entry {
        boolean injectedQuery;
        /** An injected query whose one value the session wants (the WAL position after a commit). */
        boolean capturesValue;
        boolean endsWithReadyForQuery;
        int hiddenParse;
        int hiddenClose;
        int visibleParse;
        int visibleClose;
        boolean failed;
        StatementReplies statements;
        int parsesAnswered;
        int clientClosesAnswered;

        Entry set(boolean injectedQuery, int hiddenParse, int hiddenClose, int visibleParse, int visibleClose,
                  boolean endsWithReadyForQuery) {
            this.injectedQuery = injectedQuery;
            this.capturesValue = false;
            this.hiddenParse = hiddenParse;
            this.hiddenClose = hiddenClose;
            this.visibleParse = visibleParse;
            this.visibleClose = visibleClose;
            this.endsWithReadyForQuery = endsWithReadyForQuery;
            this.failed = false;
            this.statements = null;
            this.parsesAnswered = 0;
            this.clientClosesAnswered = 0;
            return this;
        }
    }

    /** Answered entries kept for the next requests; a connection rarely has more than a few in flight. */
    private static final int SPARES = 4;

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ArrayDeque<Entry> spare = new ArrayDeque<>(SPARES);
    private final ServerStatements serverStatements;
    private int readyForQueryOwed;

    PendingResponses(ServerStatements serverStatements) {
        this.serverStatements = serverStatements;
    }

    /** A query injected by the proxy: everything it is answered with is hidden. */
    void addInjectedQuery() {
        entries.add(entry().set(true, 0, 0, 0, 0, true));
    }

    /** An injected query whose first value is handed to the session. */
    void addValueQuery() {
        Entry entry = entry().set(true, 0, 0, 0, 0, true);
        entry.capturesValue = true;
        entries.add(entry);
    }

    private Entry entry() {
        Entry reused = spare.poll();
        return reused != null ? reused : new Entry();
    }

    private Entry answered(Entry entry) {
        if (spare.size() < SPARES) {
            spare.add(entry);
        }
        return entry;
    }

    /** True while the server is answering an injected query whose value the session wants. */
    boolean answeringValueQuery() {
        Entry head = entries.peek();
        return head != null && head.injectedQuery && head.capturesValue;
    }

    void add(int hiddenParse, int hiddenClose, int visibleParse, int visibleClose, boolean endsWithReadyForQuery) {
        add(hiddenParse, hiddenClose, visibleParse, visibleClose, endsWithReadyForQuery, null);
    }

    void add(int hiddenParse, int hiddenClose, int visibleParse, int visibleClose, boolean endsWithReadyForQuery,
             StatementReplies statements) {
        Entry entry = entry().set(false, hiddenParse, hiddenClose, visibleParse, visibleClose, endsWithReadyForQuery);
        entry.statements = statements;
        entries.add(entry);
        if (endsWithReadyForQuery) {
            readyForQueryOwed++;
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** ReadyForQuery messages owed to the client (injected queries not counted). */
    int readyForQueryOwed() {
        return readyForQueryOwed;
    }

    /** True while the server is answering a query the proxy injected: the message is not the client's. */
    boolean answeringInjectedQuery() {
        Entry head = entries.peek();
        return head != null && head.injectedQuery;
    }

    /** True when this ParseComplete answers an injected Parse and must not reach the client. */
    boolean hideParseComplete() {
        Entry head = head();
        if (head != null) {
            head.parsesAnswered++;
        }
        if (head != null && head.hiddenParse > 0) {
            head.hiddenParse--;
            return true;
        }
        if (head != null && head.visibleParse > 0) {
            head.visibleParse--;
        }
        return false;
    }

    /**
     * Whether this CloseComplete answers an injected Close (hidden), the client's Close (passed), or
     * stands for a Parse pgsplit answered itself because the server held the statement.
     */
    CloseReply closeComplete() {
        Entry head = head();
        if (head != null && head.hiddenClose > 0) {
            head.hiddenClose--;
            return CloseReply.HIDE;
        }
        if (head != null && head.visibleClose > 0) {
            head.visibleClose--;
            int index = head.clientClosesAnswered++;
            if (head.statements != null && head.statements.closesAsParse().get(index)) {
                return CloseReply.AS_PARSE_COMPLETE;
            }
        }
        return CloseReply.PASS;
    }

    /** Entries of a Flush-ended dispatch whose expected replies were all seen can be dropped. */
    private Entry head() {
        while (!entries.isEmpty()) {
            Entry head = entries.peek();
            int owed = head.hiddenParse + head.visibleParse + head.hiddenClose + head.visibleClose;
            if (owed > 0 || head.endsWithReadyForQuery) {
                return head;
            }
            answered(entries.poll());
        }
        return null;
    }

    /** After an ErrorResponse the server skips to the next Sync: nothing more comes for this group. */
    void onError() {
        for (Entry entry : entries) {
            entry.failed = true;
            forgetUnanswered(entry);
            entry.hiddenParse = entry.hiddenClose = entry.visibleParse = entry.visibleClose = 0;
            if (entry.endsWithReadyForQuery) {
                return;
            }
        }
    }

    /** The statements of Parses the server skipped or refused may not exist there. */
    private void forgetUnanswered(Entry entry) {
        if (entry.statements == null) {
            return;
        }
        var parses = entry.statements.parses();
        for (int i = entry.parsesAnswered; i < parses.size(); i++) {
            StatementReplies.Registration registration = parses.get(i);
            if (registration != null) {
                serverStatements.unconfirmed(registration.contentKey(), registration.held());
            }
        }
        entry.parsesAnswered = parses.size();
    }

    /**
     * ReadyForQuery ends the oldest group, including any Flush-ended dispatches before it.
     * Returns whether that group (or one of its dispatches) saw an error.
     */
    boolean onReadyForQuery() {
        boolean failed = false;
        while (!entries.isEmpty()) {
            Entry entry = answered(entries.poll());
            failed |= entry.failed;
            if (entry.endsWithReadyForQuery) {
                if (!entry.injectedQuery) {
                    readyForQueryOwed--;
                }
                return failed;
            }
        }
        return failed;
    }

    void clear() {
        entries.clear();
        readyForQueryOwed = 0;
    }
}
