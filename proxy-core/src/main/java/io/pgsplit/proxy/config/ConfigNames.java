package io.pgsplit.proxy.config;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Finds the constant of a config enum by the name its config key spells, ignoring case and surrounding blanks. */
final class ConfigNames {
    private ConfigNames() {
    }

    static <E extends Enum<E>> Optional<E> find(E[] constants, Function<E, String> configName, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E constant : constants) {
            if (configName.apply(constant).equals(wanted)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
