package io.pgsplit.cluster.containers;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Follows the engine's "die" events for one cluster's containers and reports, with its last log lines, every
 * server that exited while the harness had not asked it to: a crash mid-test is logged at once and named again
 * when the cluster closes.
 */
final class DeathWatch implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(DeathWatch.class);

  private final List<ContainerPgNode> nodes;
  private final List<String> unexpectedExits = new CopyOnWriteArrayList<>();
  private final ResultCallback.Adapter<Event> subscription;

  private DeathWatch(List<ContainerPgNode> nodes, ResultCallback.Adapter<Event> subscription) {
    this.nodes = nodes;
    this.subscription = subscription;
  }

  static DeathWatch start(String labelKey, String labelValue, List<ContainerPgNode> nodes) {
    DeathWatch[] watch = new DeathWatch[1];
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Event event) {
        watch[0].onDeath(event);
      }
    };
    watch[0] = new DeathWatch(nodes, callback);
    DockerClientFactory.instance().client().eventsCmd().withEventFilter("die")
        .withLabelFilter(Map.of(labelKey, labelValue)).exec(callback);
    return watch[0];
  }

  private void onDeath(Event event) {
    for (ContainerPgNode node : nodes) {
      if (event.getId() != null && event.getId().equals(node.containerId()) && !node.exitExpected()) {
        String exitCode = event.getActor() == null ? "?" : event.getActor().getAttributes().get("exitCode");
        String report = node.name() + " (container " + event.getId().substring(0, 12) + ") exited unexpectedly with code "
            + exitCode + "; its last output:\n" + node.logTail();
        unexpectedExits.add(report);
        log.error(report);
      }
    }
  }

  /** Every unexpected exit seen so far, each with the container's last output. */
  List<String> unexpectedExits() {
    return List.copyOf(unexpectedExits);
  }

  @Override
  public void close() throws IOException {
    subscription.close();
  }
}
