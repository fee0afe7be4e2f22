package io.pgsplit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void handsOutDistinctPortsInTheServerRangeAndNeverEphemeralOnes() {
    int[] ephemeral = FreePorts.ephemeralRange();

    List<Integer> ports = IntStream.range(0, 50).mapToObj(i -> FreePorts.pick()).collect(Collectors.toList());

    assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> {
      assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST);
      assertThat(port >= ephemeral[0] && port <= ephemeral[1]).isFalse();
    });
  }
}
