package io.pgsplit.proxy.backend;

import java.util.ArrayDeque;

/**
 * What a backend still owes for the work sent to it, in send order, so its answers can be
 * filtered without decoding them: ParseComplete and CloseComplete replies to messages the proxy
 * injected (re-preparing a statement on this server) are hidden from the client, the client's own
 * are not. Injected messages always precede the client's messages of the same dispatch, so within
 * one entry the first replies are the hidden ones.
 */
final class PendingResponses {

    private static final class Entry {
        int hiddenParse;
        int hiddenClose;
        int visibleParse;
        int visibleClose;
        final boolean endsWithReadyForQuery;

        Entry(int hiddenParse, int hiddenClose, int visibleParse, int visibleClose, boolean endsWithReadyForQuery) {
            this.hiddenParse = hiddenParse;
            this.hiddenClose = hiddenClose;
            this.visibleParse = visibleParse;
            this.visibleClose = visibleClose;
            this.endsWithReadyForQuery = endsWithReadyForQuery;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private int readyForQueryOwed;

    void add(int hiddenParse, int hiddenClose, int visibleParse, int visibleClose, boolean endsWithReadyForQuery) {
        entries.add(new Entry(hiddenParse, hiddenClose, visibleParse, visibleClose, endsWithReadyForQuery));
        if (endsWithReadyForQuery) {
            readyForQueryOwed++;
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int readyForQueryOwed() {
        return readyForQueryOwed;
    }

    /** True when this ParseComplete answers an injected Parse and must not reach the client. */
    boolean hideParseComplete() {
        Entry head = head();
        if (head != null && head.hiddenParse > 0) {
            head.hiddenParse--;
            return true;
        }
        if (head != null && head.visibleParse > 0) {
            head.visibleParse--;
        }
        return false;
    }

    /** True when this CloseComplete answers an injected Close and must not reach the client. */
    boolean hideCloseComplete() {
        Entry head = head();
        if (head != null && head.hiddenClose > 0) {
            head.hiddenClose--;
            return true;
        }
        if (head != null && head.visibleClose > 0) {
            head.visibleClose--;
        }
        return false;
    }

    /** Entries of a Flush-ended dispatch whose expected replies were all seen can be dropped. */
    private Entry head() {
        while (!entries.isEmpty()) {
            Entry head = entries.peek();
            int owed = head.hiddenParse + head.visibleParse + head.hiddenClose + head.visibleClose;
            if (owed > 0 || head.endsWithReadyForQuery) {
                return head;
            }
            entries.poll();
        }
        return null;
    }

    /** After an ErrorResponse the server skips to the next Sync: nothing more comes for this group. */
    void onError() {
        for (Entry entry : entries) {
            entry.hiddenParse = entry.hiddenClose = entry.visibleParse = entry.visibleClose = 0;
            if (entry.endsWithReadyForQuery) {
                return;
            }
        }
    }

    /** ReadyForQuery ends the oldest group, including any Flush-ended dispatches before it. */
    void onReadyForQuery() {
        while (!entries.isEmpty()) {
            if (entries.poll().endsWithReadyForQuery) {
                readyForQueryOwed--;
                return;
            }
        }
    }

    void clear() {
        entries.clear();
        readyForQueryOwed = 0;
    }
}
