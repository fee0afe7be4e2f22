package io.pgsplit.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SASLprep checked against PostgreSQL 15 itself: each verifier is pg_authid.rolpassword after
 * {@code CREATE ROLE ... PASSWORD '<password>'} with password_encryption = scram-sha-256, so the
 * server ran pg_saslprep. Deriving keys from the same salt must reproduce the stored verifier.
 */
class SaslPrepTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ascii passes unchanged                  | pencil                 | pencil                 | SCRAM-SHA-256$4096:xtMpc7XVOH4j8TGBRNzr4A==$Ya13fSC1oRKteSMES5UeTv7RyFUWfYjz9idPOblDBdg=:4aE0Wv7IjPyuech/aO6Hb78nP3PF8R9HnMfsKeWLLxc=
            ascii control characters pass too      | pass\\tword            | pass\\tword            | SCRAM-SHA-256$4096:dWMP7J9pODwentcpMTjXUg==$iiSPHGJJ7xUgt8v6qXix8Cw2K/xj+89metCaVtqIPnQ=:3y2P6+J7IjYS/ks6FTh/U2KUmwSLqGBllczM4fazTKY=
            soft hyphen maps to nothing             | I\\u00adX              | IX                     | SCRAM-SHA-256$4096:pJjussQUMhSir4n6Rb9BhQ==$yTzTPUURZv6N+ybZJqGX+izPlUXKLcb1J1MWHfQzheA=:1QES5j2oaWr1pmSIcKPeQ4NKHPXOQqYKy8D/ygeYV4o=
            NFKC folds roman numeral nine           | \\u2168                | IX                     | SCRAM-SHA-256$4096:mFcKWWi0ZRtF5pQJN4tqWg==$jwyOzwyGk2ZofaeQXuowZK9BA07C4/RZD1F0YM/GA8Y=:ztwmMxau/A9IYvsLGIAldJ71OydttF9Cs71+CxZitWQ=
            no-break space maps to space            | a\\u00a0b              | a b                    | SCRAM-SHA-256$4096:yZe+gZkVZ75dlx9AzoXtzA==$vli+SHNrB4Y23syxE1qaAm96HQqJcZbVr2/jTwrjSxU=:wLVazebGE/NZ4kWQwcLyBQJbvwSAxrRPhoTzn9nykP4=
            prohibited control keeps raw password   | \\u00e9\\u0007         | \\u00e9\\u0007         | SCRAM-SHA-256$4096:87ReHnLU4U66xn6m2n9NWg==$yYbpYyzOu0uqN2Fe51Qy+T4LZseUgLdThZcl1swKhHk=:HMdTbYIVn3CwkBLN+rfUZ4+zTDxNjF9kHjxBS9niAuA=
            mixed bidi keeps raw password           | \\u05d0a               | \\u05d0a               | SCRAM-SHA-256$4096:zA8J6S6qxtkJAMLIisQQIg==$ZiqsEumxhaet5A85edw5f07Ugg3ZYuvwNjnFUwFq4+k=:36Tf/RKKOde3XLfHWi5+MOlBrmpkGLFQI2eijTqstFc=
            unassigned in 3.2 keeps raw password    | \\u0221\\u2168         | \\u0221\\u2168         | SCRAM-SHA-256$4096:oZBPJrjXfWxjl7ZUntR2vw==$25QL52e21Vjcj9g3j9RgNVFfGf4ZJNlcgHPEqF9IecA=:9ikkCQW2NF9xH7fPWqjR69mEv774lSAUOvzdRhcDngw=
            nothing left keeps raw password         | \\u00ad                | \\u00ad                | SCRAM-SHA-256$4096:lrPrpCYS4zMizxs86qctug==$yqMY+7UZYHWIKsFG6fBBkHesbIaYf7is74sLz0FYb/8=:TKoSFZLKnQKwFi1m26SJdQ4ns2JInBHSvQBOAaPsx8Y=
            right-to-left only is accepted          | \\u05d0\\u05d1         | \\u05d0\\u05d1         | SCRAM-SHA-256$4096:9JsaXTyEV8gEnTRk2WojLw==$5QPmIgHJJNfwSbApKfZfn9mep1QB0DwhaBZpn97WDeg=:s4hQ8jmAtojyUd10Am4lGBVjvZvhGXYjLTn1lwbJeQw=
            combining accent is composed            | cafe\\u0301            | caf\\u00e9             | SCRAM-SHA-256$4096:xHwBk7LzvNVZSb+p/5jD3w==$nCiQDIXp6GGw1ofTRdxW/RHvLCN5mheKM5XKta2h+hw=:MaVYpv4533bNqPdqKUJ8PuK48kyme/C+ZpcyTYNBTTQ=
            zero width space becomes a space        | \\u200b                | ' '                    | SCRAM-SHA-256$4096:lzUBn+pCTyKNlYb6XdijSg==$sW8Z3zj7Oq1I50yFcogR8TlqS9mJ3biljJUtpicxEKM=:66P0AUiRsfUAimWAIf0oV0Okfc5bl9Uu2xPKt4v6DO8=
            ligature is decomposed                  | \\ufb01x               | fix                    | SCRAM-SHA-256$4096:7O6G+K+wMQgetMcKeyQMpg==$p1sXqN9HCnTzyQjVhsTR6q5XoVAKhr7HraSkbD8HTnQ=:+cHD2KoqUbkvFCLxkZ3Ps2VukDXBXnbx68pVFFwRPAE=
            emoji is unassigned in 3.2              | \\u2168\\ud83d\\ude00  | \\u2168\\ud83d\\ude00  | SCRAM-SHA-256$4096:xTrVjFMdruo6u3769yge1A==$A7NQgx8B+a6KvXJSeo8ucxUTSm/wNA8a7p4Qh33Rurk=:2v8ZaAUWk0T7pFqirdPAQOJ+Se7FLRbpjWxLJ0m91MU=
            checks run before normalisation         | a\\u0340               | a\\u0340               | SCRAM-SHA-256$4096:cqOPOh5oyuqLIEyAaWgPYg==$2wOwWJadth1qGhKNx2bh2vc0vuhVv3kKXBFOwgCgiMg=:1icKNEClBulqnHj8Bw+TxcgI3BHuqTtkwTEiT8n8cbA=
            """)
    void preparesPasswordsExactlyAsPostgres(String behaviour, String escapedPassword, String escapedPrepared, String storedVerifier) {
        String password = unescape(escapedPassword);
        assertThat(SaslPrep.prepare(password)).isEqualTo(unescape(escapedPrepared));
        ScramKeys stored = ScramKeys.parse(storedVerifier);
        assertThat(ScramKeys.fromPassword(password, stored.salt, stored.iterations).verifier()).isEqualTo(storedVerifier);
    }

    /** Turns the \\uXXXX and \\t escapes of the table into characters, keeping the table ASCII and readable. */
    private static String unescape(String escaped) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && escaped.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(escaped.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && escaped.charAt(i + 1) == 't') {
                out.append('\t');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
