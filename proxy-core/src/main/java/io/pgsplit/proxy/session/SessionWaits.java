package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Owns the session's {@link Suspension}: starts each kind of wait, and ends it on the event it waits
 * for, on the session's loop. Completions that arrive for a wait already over (a deadline after the
 * answer, say) are ignored. Every completion runs guarded, so a failure in it ends the session with
 * an error instead of leaving the client paused for good.
 */
final class SessionWaits {

    /** What the session does when a wait ends. */
    interface Host {
        /** The wait is over: route on, then flush. */
        void resumed();

        boolean isClosed();

        /** A completion failed: end the session with an error. */
        void failed(RuntimeException error);
    }

    private final SessionIo io;
    private final Host host;
    private Suspension suspension = Suspension.RUNNING;

    SessionWaits(SessionIo io, Host host) {
        this.io = io;
        this.host = host;
    }

    Suspension current() {
        return suspension;
    }

    boolean running() {
        return suspension == Suspension.RUNNING;
    }

    /** The serving connection must answer what it owes first. */
    void drain() {
        suspension = Suspension.DRAINING;
    }

    /** The WAL position of the commit just made is on its way. */
    void awaitPosition() {
        suspension = Suspension.AWAITING_POSITION;
    }

    /** The parser runs off the loop; its answer is {@code learn}ed (on the loop) before routing resumes. */
    void awaitParse(PendingParse pending, BiConsumer<PendingParse, Classification> learn) {
        suspension = Suspension.CLASSIFYING;
        pending.parse().whenComplete((classification, error) -> onLoop(() -> {
            learn.accept(pending, classification);
            resume(Suspension.Classifying.class);
        }));
    }

    /**
     * A connection for {@code target} is being opened; {@code opened} sees the lease or the failure
     * first, even after the session closed (a lease that arrives late must still be given up).
     */
    void awaitConnection(Route.ToServer target, CompletableFuture<Lease> opening, BiConsumer<Lease, Throwable> opened) {
        suspension = new Suspension.Connecting(target);
        opening.whenComplete((lease, error) -> io.execute(() -> {
            try {
                opened.accept(lease, error);
                resume(Suspension.Connecting.class);
            } catch (RuntimeException e) {
                host.failed(e);
            }
        }));
    }

    /** Read-your-writes with max_wait: fresh replay positions are asked for; the read waits for them until the deadline. */
    void awaitCatchUp(FenceGate.WaitForCatchUp wait) {
        SessionIo.Cancellable deadline = io.schedule(() -> guarded(this::fenceWaitOver), wait.nanos());
        suspension = new Suspension.AwaitingCatchUp(deadline);
        wait.refresh().whenComplete((done, error) -> onLoop(this::fenceWaitOver));
    }

    /** A position came back, fresh replay positions arrived, or the deadline passed: the read is routed again. */
    void fenceWaitOver() {
        if (suspension instanceof Suspension.AwaitingCatchUp catchUp) {
            catchUp.deadline().cancel();
            resume(Suspension.AwaitingCatchUp.class);
        } else {
            resume(Suspension.AwaitingPosition.class);
        }
    }

    /** The serving connection answered everything it owed (or is gone). */
    void drained() {
        resume(Suspension.Draining.class);
    }

    /** Like {@link #drained} without routing on: the caller does. Returns whether the session was draining. */
    boolean stopDraining() {
        if (suspension != Suspension.DRAINING) {
            return false;
        }
        suspension = Suspension.RUNNING;
        return true;
    }

    /** The session closes: a pending deadline is called off. */
    void cancel() {
        if (suspension instanceof Suspension.AwaitingCatchUp catchUp) {
            catchUp.deadline().cancel();
        }
    }

    private void resume(Class<? extends Suspension> awaited) {
        if (!awaited.isInstance(suspension)) {
            return;
        }
        suspension = Suspension.RUNNING;
        if (!host.isClosed()) {
            host.resumed();
        }
    }

    private void onLoop(Runnable completion) {
        io.execute(() -> guarded(completion));
    }

    private void guarded(Runnable completion) {
        if (host.isClosed()) {
            return;
        }
        try {
            completion.run();
        } catch (RuntimeException e) {
            host.failed(e);
        }
    }
}
