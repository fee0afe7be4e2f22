package io.pgsplit.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the module's one {@link ProxiedCluster}. It is started on first use and kept in the root context's store,
 * which closes it (an AutoCloseable) when the whole test run ends, so each class does not pay for a new cluster.
 */
final class ClusterExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ProxiedCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(ClusterExtension.class))
        .getOrComputeIfAbsent(ProxiedCluster.class, key -> ProxiedCluster.start(), ProxiedCluster.class);
  }
}
