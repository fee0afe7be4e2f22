package io.pgsplit.proxy.catalog;

import io.pgsplit.health.ProbeCredentials;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How the routing catalog is kept.
 *
 * @param enabled     {@code routing.catalog}: off leaves the deny-list as the only judge of function calls
 * @param refresh     {@code routing.catalog_refresh}: how often every known database is read again
 * @param credentials the health probes' login, used to read each database's catalog on the primary
 * @param timeout     bound of every network wait of one load
 * @param denied      the deny-list: functions that always write, wherever they are called from
 */
public record CatalogSettings(boolean enabled, Duration refresh, ProbeCredentials credentials, Duration timeout,
                              Predicate<String> denied) {

    public CatalogSettings {
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(denied, "denied");
    }
}
