package io.pgsplit.proxy.backend;

/** A server's BackendKeyData: what a CancelRequest must carry to reach that server process. */
public record BackendKey(int processId, int secretKey) {
}
