package io.pgsplit.proxy.cancel;

import io.pgsplit.proxy.backend.BackendKey;
import io.pgsplit.proxy.session.ClientSession;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BackendKeyData handed to each client, and the session it belongs to. Clients never see a
 * server's real key: a CancelRequest reaches the proxy, which finds the session and forwards the
 * cancel to whichever server is running that session's work, with that server's own key.
 */
public final class CancelRegistry {
    private final SecureRandom random = new SecureRandom();
    private final Map<BackendKey, ClientSession> sessions = new ConcurrentHashMap<>();

    /** A fresh random key, unused by any live session. */
    public BackendKey newKey() {
        while (true) {
            BackendKey key = new BackendKey(random.nextInt() & Integer.MAX_VALUE, random.nextInt());
            if (key.processId() != 0 && !sessions.containsKey(key)) {
                return key;
            }
        }
    }

    public void register(ClientSession session) {
        sessions.put(session.clientKey(), session);
    }

    public void unregister(ClientSession session) {
        sessions.remove(session.clientKey(), session);
    }

    /** Cancels the running work of the session holding this key; an unknown key is ignored, as by PostgreSQL. */
    public void cancel(int processId, int secretKey) {
        ClientSession session = sessions.get(new BackendKey(processId, secretKey));
        if (session != null) {
            session.cancel();
        }
    }

    public int size() {
        return sessions.size();
    }
}
