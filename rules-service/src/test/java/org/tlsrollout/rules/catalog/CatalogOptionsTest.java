package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogOptionsTest {

    @Test
    void defaultsAreNoneAndFalse() {
        CatalogOptions d = CatalogOptions.defaults();
        assertThat(d.kb3140245Superseders()).isEmpty();
        assertThat(d.laterRollups()).isEmpty();
        assertThat(d.includeClientsInDisableLegacy()).isFalse();
        assertThat(new RuleCatalog().options()).isEqualTo(d);
    }

    @Test
    void normalizesKbIds() {
        CatalogOptions o = new CatalogOptions(Set.of("kb5005565", " 5005566 "), Set.of("KB5031419"), true);
        assertThat(o.kb3140245Superseders()).containsExactly("KB5005565", "KB5005566");
        assertThat(o.laterRollups()).containsExactly("KB5031419");
        assertThat(new CatalogOptions(null, null, false).laterRollups()).isEmpty();
        assertThat(o.includeClientsInDisableLegacy()).isTrue();
    }

    @Test
    void withersChangeOneOption() {
        CatalogOptions o = CatalogOptions.DEFAULTS.withKb3140245Superseders(List.of("KB1234567"))
                .withLaterRollups(List.of("KB2345678", "KB3456789"))
                .withIncludeClientsInDisableLegacy(true);
        assertThat(o).isEqualTo(new CatalogOptions(Set.of("KB1234567"), Set.of("KB2345678", "KB3456789"), true));
    }

    @Test
    void rejectsWhatIsNotAKbId() {
        assertThatThrownBy(() -> CatalogOptions.DEFAULTS.withLaterRollups(List.of("KB12")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("laterRollups");
        assertThatThrownBy(() -> CatalogOptions.DEFAULTS.withKb3140245Superseders(List.of("Q3140245")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q3140245");
    }
}
