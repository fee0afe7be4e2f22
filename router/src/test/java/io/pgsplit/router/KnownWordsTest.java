package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class KnownWordsTest {

    @Test
    void keywordsInAnyAsciiCaseAreTheConstant() {
        assertThat(KnownWords.lookup("xx select", 3, 9)).isSameAs("SELECT");
        assertThat(KnownWords.lookup("InSeRt", 0, 6)).isEqualTo("INSERT");
        assertThat(KnownWords.lookup("selects", 0, 7)).isNull();
        assertThat(KnownWords.lookup("\u212Aey", 0, 3)).isNull(); // the Kelvin sign is not K to PostgreSQL
    }

    /** The constant changes nothing: word() says what upper-casing the text said before. */
    @Property
    void aKnownWordIsWhatUpperCasingSays(@ForAll @StringLength(min = 1, max = 10) String word) {
        String known = KnownWords.lookup(word, 0, word.length());
        if (known != null) {
            assertThat(known).isEqualTo(word.toUpperCase(Locale.ROOT));
        }
    }

    @Property
    void everyCaseOfAKeywordIsFound(@ForAll("keywords") String keyword, @ForAll long caseBits) {
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            mixed.append((caseBits >> i & 1) == 1 ? Character.toLowerCase(c) : c);
        }
        assertThat(KnownWords.lookup(mixed.toString(), 0, mixed.length())).isEqualTo(keyword);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> keywords() {
        return net.jqwik.api.Arbitraries.of("SELECT", "WITH", "INSERT", "BEGIN", "COMMIT", "TRANSACTION", "SET");
    }
}
