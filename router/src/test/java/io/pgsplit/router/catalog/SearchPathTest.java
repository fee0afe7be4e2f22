package io.pgsplit.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.SearchPathSetting;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchPathTest {

    @Test
    void parsesAConfigValueAsTheServerDoes() {
        assertThat(SearchPath.parse("\"$user\", public").schemas()).containsExactly("$user", "public");
        assertThat(SearchPath.parse("App,  \"Tenant One\"").schemas()).containsExactly("app", "Tenant One");
        assertThat(SearchPath.parse("\"a\"\"b\"").schemas()).containsExactly("a\"b");
        assertThat(SearchPath.parse("").schemas()).isEmpty();
    }

    @Test
    void rejectsWhatTheServerRejects() {
        assertThat(SearchPath.parse("a,,b")).isNull();
        assertThat(SearchPath.parse("\"open")).isNull();
        assertThat(SearchPath.parse("a b")).isNull();
    }

    @Test
    void userStandsForTheSessionUser() {
        assertThat(SearchPath.DEFAULT.resolvedFor("alice")).containsExactly("alice", "public");
    }

    @Test
    void readsTheStatementsSessionsKeepForSearchPath() {
        assertThat(SearchPathSetting.read("SET search_path TO app, \"Public\", 'x, y'"))
                .isEqualTo(new SearchPath(List.of("app", "Public", "x, y")));
        assertThat(SearchPathSetting.read("SET LOCAL search_path = a")).isEqualTo(new SearchPath(List.of("a")));
        assertThat(SearchPathSetting.read("SELECT pg_catalog.set_config('search_path', 'a, \"B\"', false)"))
                .isEqualTo(new SearchPath(List.of("a", "B")));
        assertThat(SearchPathSetting.read("SET search_path TO DEFAULT")).isNull();
        assertThat(SearchPathSetting.read("SET search_path TO a b")).isNull();
        assertThat(SearchPathSetting.read("SET work_mem TO '4MB'")).isNull();
    }
}
