package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private final RoundRobin roundRobin = new RoundRobin();

    @Test
    void cyclesThroughCandidatesInOrder() {
        List<String> replicas = List.of("a", "b", "c");

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(roundRobin.next(replicas));
        }

        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void returnsNullForNoCandidates() {
        assertThat(roundRobin.<String>next(List.of())).isNull();
    }

    @Test
    void adaptsWhenTheCandidateListShrinks() {
        roundRobin.next(List.of("a", "b", "c"));
        roundRobin.next(List.of("a", "b", "c"));

        assertThat(roundRobin.next(List.of("a"))).isEqualTo("a");
    }

    @Test
    void spreadsConcurrentPicksEvenly() throws Exception {
        List<Integer> replicas = List.of(0, 1, 2, 3);
        Map<Integer, LongAdder> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        counts.computeIfAbsent(roundRobin.next(replicas), k -> new LongAdder()).increment();
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }

        assertThat(counts).hasSize(4);
        assertThat(counts.values()).allSatisfy(count -> assertThat(count.sum()).isEqualTo(10_000));
    }
}
