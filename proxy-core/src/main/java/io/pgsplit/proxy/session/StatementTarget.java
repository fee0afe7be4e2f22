package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;

/**
 * Where a session would send a statement of this classification when nothing else weighs in (no transaction, no
 * pin, no fence, a replica available): the same rule the session applies, for {@code pgsplit analyze}.
 *
 * @param primary whether it needs the primary
 * @param reason  the routing metric's reason label
 */
public record StatementTarget(boolean primary, String reason) {

    public static StatementTarget of(Classification classification) {
        Requirement requirement = Requirement.ofStatements(classification);
        return new StatementTarget(requirement.need() == Requirement.Need.PRIMARY, requirement.reason());
    }
}
