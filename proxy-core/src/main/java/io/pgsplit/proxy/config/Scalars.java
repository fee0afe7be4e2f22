package io.pgsplit.proxy.config;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the value formats the config accepts. Each throws {@link IllegalArgumentException} with a message
 * saying what was expected; {@link ConfigNode} prefixes it with the key path.
 */
final class Scalars {
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    /** A bare number is milliseconds. */
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    /** A bare number is bytes; units are 1024-based. The B is mandatory so "m" always means minutes. */
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?b)?", Pattern.CASE_INSENSITIVE);

    private Scalars() {
    }

    static String nonEmpty(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return text;
    }

    static int integer(String text) {
        String trimmed = text.trim();
        try {
            if (INTEGER.matcher(trimmed).matches()) {
                return Integer.parseInt(trimmed);
            }
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("is too large (got '" + text + "')");
        }
        throw new IllegalArgumentException("must be an integer (got '" + text + "')");
    }

    /** YAML's true/false, and the on/off/yes/no spellings PostgreSQL accepts for booleans. */
    static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("must be true or false (got '" + text + "')");
        };
    }

    static Function<String, Integer> integerBetween(int min, int max) {
        String requirement = max == Integer.MAX_VALUE
                ? "must be at least " + min
                : "must be between " + min + " and " + max;
        return requiring(Scalars::integer, value -> value >= min && value <= max, requirement);
    }

    static boolean isDuration(String text) {
        return DURATION.matcher(text.trim()).matches();
    }

    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a duration like 500ms, 1s, 2m or 1h (got '" + text + "')");
        }
        long amount = parseAmount(matcher.group(1), text);
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("is too large (got '" + text + "')");
        }
    }

    static Function<String, Duration> positiveDuration() {
        return requiring(Scalars::duration, value -> !value.isZero(), "must be greater than 0");
    }

    static boolean isSize(String text) {
        return SIZE.matcher(text.trim()).matches();
    }

    static long size(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a size like 512kB, 64MB or 1GB (got '" + text + "')");
        }
        long amount = parseAmount(matcher.group(1), text);
        String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            case "tb" -> 40;
            default -> 0;
        };
        if (amount > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("is too large (got '" + text + "')");
        }
        return amount << shift;
    }

    /** Adds a validity rule to a parser; the rule's requirement becomes the error message. */
    static <T> Function<String, T> requiring(Function<String, T> parser, Predicate<? super T> rule,
                                             String requirement) {
        return text -> {
            T value = parser.apply(text);
            if (!rule.test(value)) {
                throw new IllegalArgumentException(requirement);
            }
            return value;
        };
    }

    /** {@code on}/{@code off}, {@code true}/{@code false} or {@code yes}/{@code no} (YAML 1.1 reads some as booleans). */
    static boolean onOff(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("must be on or off (got '" + text + "')");
        };
    }

    private static long parseAmount(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("is too large (got '" + text + "')");
        }
    }
}
