package io.pgsplit.proxy.auth;

import io.netty.channel.EventLoop;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where secrets of users that are not configured come from: auth_query. */
public interface SecretLookup {

    /**
     * The user's secret, empty when there is no such user (or it has no password); fails when the lookup fails or
     * times out. Any connection it opens lives on {@code loop} and never blocks it.
     */
    CompletableFuture<Optional<UserSecret>> secretOf(String user, String database, EventLoop loop);

    /** A login with the looked-up secret failed: the next one asks again. */
    void forget(String user);
}
