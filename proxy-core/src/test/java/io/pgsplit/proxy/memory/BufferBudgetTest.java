package io.pgsplit.proxy.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {
    private final BufferBudget budget = new BufferBudget(1000);
    private final List<String> granted = new ArrayList<>();

    @Test
    void reservesWhatFitsAndRefusesWhatDoesNot() {
        assertThat(budget.tryReserve(600)).isTrue();
        assertThat(budget.tryReserve(400)).isTrue();
        assertThat(budget.tryReserve(1)).isFalse();
        assertThat(budget.reserved()).isEqualTo(1000);

        budget.release(400);

        assertThat(budget.reserved()).isEqualTo(600);
        assertThat(budget.waits()).isZero();
    }

    @Test
    void grantsWaitersInArrivalOrderAsOthersRelease() {
        budget.tryReserve(900);
        budget.await(500, () -> granted.add("first"));
        budget.await(300, () -> granted.add("second"));

        budget.release(400);
        assertThat(granted).containsExactly("first");
        assertThat(budget.reserved()).isEqualTo(1000);

        budget.release(500);
        assertThat(granted).containsExactly("first", "second");
        assertThat(budget.reserved()).isEqualTo(800);
        assertThat(budget.waits()).isEqualTo(2);
    }

    @Test
    void aNewcomerThatWouldFitDoesNotOvertakeAWaitingLargerRequest() {
        budget.tryReserve(600);
        budget.await(700, () -> granted.add("large"));

        assertThat(budget.tryReserve(100)).isFalse(); // else small requests could starve the large one for good

        budget.release(600);
        assertThat(granted).containsExactly("large");
    }

    @Test
    void aWithdrawnWaiterIsNeverGrantedAndLetsTheNextOneIn() {
        budget.tryReserve(800);
        BufferBudget.Wait large = budget.await(900, () -> granted.add("large"));
        budget.await(200, () -> granted.add("small"));

        assertThat(budget.withdraw(large)).isTrue();
        assertThat(granted).containsExactly("small");

        budget.release(1000);
        assertThat(granted).containsExactly("small");
        assertThat(budget.withdraw(large)).isFalse();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void withdrawingAGrantedWaitSaysSoSoTheWaiterGivesTheBytesBack() {
        budget.tryReserve(1000);
        BufferBudget.Wait wait = budget.await(500, () -> granted.add("it"));
        budget.release(1000);

        assertThat(budget.withdraw(wait)).isFalse();
        assertThat(budget.reserved()).isEqualTo(500);
    }

    @Test
    void aWaiterIsGrantedAtOnceIfTheRoomCameFreeBeforeItQueued() {
        assertThat(budget.await(300, () -> granted.add("it"))).isNotNull();

        assertThat(granted).containsExactly("it");
        assertThat(budget.reserved()).isEqualTo(300);
    }

    @Test
    void aLargerLimitOnReloadLetsWaitersIn() {
        budget.tryReserve(1000);
        budget.await(500, () -> granted.add("it"));

        budget.limit(2000);

        assertThat(granted).containsExactly("it");
        assertThat(budget.reserved()).isEqualTo(1500);
    }

    /** Many loops reserving and releasing at once never see more than the limit reserved, and end at zero. */
    @Test
    void neverHandsOutMoreThanTheLimitUnderContention() throws Exception {
        BufferBudget shared = new BufferBudget(10_000);
        AtomicLong highest = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4 * 2_000);
        for (int t = 0; t < 4; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 2_000; i++) {
                    long bytes = 1_000 + (i % 7) * 500;
                    Runnable use = () -> {
                        highest.accumulateAndGet(shared.reserved(), Math::max);
                        shared.release(bytes);
                        done.countDown();
                    };
                    if (shared.tryReserve(bytes)) {
                        use.run();
                    } else {
                        shared.await(bytes, () -> threads.execute(use));
                    }
                }
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        threads.shutdown();

        assertThat(highest.get()).isLessThanOrEqualTo(10_000);
        assertThat(shared.reserved()).isZero();
    }
}
