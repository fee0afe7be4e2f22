package io.pgsplit.it.session;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the session tests' one {@link SessionCluster}, started on first use and kept in the root context's store,
 * which closes it when the whole run ends: the classes share one cluster instead of paying for one each.
 */
final class SessionClusterExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SessionCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(SessionClusterExtension.class))
        .getOrComputeIfAbsent(SessionCluster.class, key -> SessionCluster.start(), SessionCluster.class);
  }
}
