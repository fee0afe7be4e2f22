package io.pgsplit.proxy.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void lineBreaksAndTerminalEscapesAreWrittenVisibly() {
        assertThat(LogSafe.escape("x\nuser \"admin\" authenticated\r\n\u001b[2J\t\u0000"))
                .isEqualTo("x\\nuser \"admin\" authenticated\\r\\n\\x1b[2J\\t\\x00");
    }

    @Test
    void otherLineSeparatorsAndDirectionOverridesAreEscaped() {
        assertThat(LogSafe.escape("a\u0085b\u2028c\u2029d\u202ee\u007f\u009b"))
                .isEqualTo("a\\x85b\\u2028c\\u2029d\\u202ee\\x7f\\x9b");
    }

    @Test
    void textWithoutControlsIsReturnedAsItIs() {
        String text = "SELECT 'žluťoučký kůň', \"quoted\" \\ backslash";
        assertThat(LogSafe.escape(text)).isSameAs(text);
        assertThat(LogSafe.escape(null)).isNull();
    }

    @Test
    void aQuotedValueCannotCloseItsQuotesEarly() {
        assertThat(LogSafe.quote("x\" authenticated \\n")).isEqualTo("\"x\\\" authenticated \\\\n\"");
        assertThat(LogSafe.quote("a\nb")).isEqualTo("\"a\\nb\"");
        assertThat(LogSafe.quote(null)).isEqualTo("null");
    }

    @Test
    void exceptionMessagesKeepTheirLinesButIndented() {
        assertThat(LogSafe.escapeKeepingIndentedLines("failed:\r\nFATAL x\n\u001b[0m"))
                .isEqualTo("failed:\n\tFATAL x\n\t\\x1b[0m");
    }
}
