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
        assertThat(d.wsusRollupsOs62()).isEmpty();
        assertThat(d.wsusRollupsOs63()).isEmpty();
        assertThat(d.includeClientsInDisableLegacy()).isFalse();
        assertThat(new RuleCatalog().options()).isEqualTo(d);
    }

    @Test
    void normalizesKbIds() {
        CatalogOptions o = new CatalogOptions(Set.of("kb5005565", " 5005566 "), null, Set.of("KB5031419"), true);
        assertThat(o.kb3140245Superseders()).containsExactly("KB5005565", "KB5005566");
        assertThat(o.wsusRollupsOs62()).isEmpty();
        assertThat(o.wsusRollupsOs63()).containsExactly("KB5031419");
        assertThat(o.includeClientsInDisableLegacy()).isTrue();
    }

    @Test
    void withersChangeOneOption() {
        CatalogOptions o = CatalogOptions.DEFAULTS.withKb3140245Superseders(List.of("KB1234567"))
                .withWsusRollupsOs62(List.of("KB2345678"))
                .withWsusRollupsOs63(List.of("KB3456789"))
                .withIncludeClientsInDisableLegacy(true);
        assertThat(o).isEqualTo(new CatalogOptions(Set.of("KB1234567"), Set.of("KB2345678"), Set.of("KB3456789"), true));
    }

    @Test
    void rejectsWhatIsNotAKbId() {
        assertThatThrownBy(() -> CatalogOptions.DEFAULTS.withWsusRollupsOs63(List.of("KB12")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wsusRollupsOs63");
        assertThatThrownBy(() -> CatalogOptions.DEFAULTS.withKb3140245Superseders(List.of("Q3140245")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q3140245");
    }
}
