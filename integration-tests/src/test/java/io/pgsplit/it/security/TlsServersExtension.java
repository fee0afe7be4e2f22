package io.pgsplit.it.security;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Injects the run's one {@link TlsServers}, started on first use and closed when the run ends. */
final class TlsServersExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TlsServers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(TlsServersExtension.class))
                .getOrComputeIfAbsent(TlsServers.class, key -> TlsServers.start(), TlsServers.class);
    }
}
