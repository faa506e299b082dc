package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Version: rules.md \"Compare versions numerically, part by part\"")
class VersionTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
        "6.1.7601, 6.2.9200, -1",
        "6.2.9200, 6.3.9600, -1",
        "6.3.9600, 10.0.19045, -1", // numerically 10 > 6, though "10" < "6" as text
        "10.0.14393, 10.0.9999, 1", // build 14393 > 9999, though "1" < "9" as text
        "10.50.6542.0, 10.0.6547.0, 1",
        "10.50.6542.0, 10.5.6542.0, 1",
        "13.0.5026.0, 13.0.5026, 0", // a missing part counts as 0
        "6.1, 6.1.0.0, 0",
        "13.2.50.26, 13.0.5026.0, 1",
        "12.0.4439.1, 12.0.4439.0, 1",
        "11.0.6216.27, 11.0.6216.3, 1",
    })
    void comparesPartByPartNumerically(String a, String b, int sign) {
        assertThat(Integer.signum(Version.parse(a).compareTo(Version.parse(b)))).isEqualTo(sign);
        assertThat(Integer.signum(Version.parse(b).compareTo(Version.parse(a)))).isEqualTo(-sign);
    }

    @Test
    void comparesTheFirstPartsOnlyWhenAsked() {
        assertThat(Version.parse("12.0.4439.0").compareTo(Version.parse("12.0.4439.1"), 3)).isZero();
        assertThat(Version.parse("12.0.4438.9").compareTo(Version.parse("12.0.4439.1"), 3)).isNegative();
        assertThat(Version.parse("6.2.9200").compareTo(Version.of(6, 2), 2)).isZero();
    }

    @Test
    void exposesItsParts() {
        Version v = Version.parse("10.50.6542.7");
        assertThat(v.major()).isEqualTo(10);
        assertThat(v.minor()).isEqualTo(50);
        assertThat(v.build()).isEqualTo(6542);
        assertThat(v.revision()).isEqualTo(7);
        assertThat(v.part(4)).isZero();
        assertThat(v.size()).isEqualTo(4);
        assertThat(v.is(10, 50)).isTrue();
        assertThat(v.is(10, 5)).isFalse();
        assertThat(Version.parse("6.1").build()).isZero();
    }

    @Test
    void equalsFollowsCompareTo() {
        assertThat(Version.parse("6.1")).isEqualTo(Version.parse("6.1.0")).hasSameHashCodeAs(Version.parse("6.1.0.0"));
        assertThat(Version.parse("6.1")).isNotEqualTo(Version.parse("6.1.1"));
        assertThat(Version.parse(" 6.1.7601 ").toString()).isEqualTo("6.1.7601");
        assertThat(Version.parse("6.1").toString()).isEqualTo("6.1");
        assertThat(Version.parse("6.2.9200").isAtLeast(Version.of(6, 2))).isTrue();
        assertThat(Version.parse("6.1.7601").isBelow(Version.of(6, 2))).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "6.", ".1", "6..1", "6.1a", "v6.1", "-1.0", "6,1", "99999999999.0", "abc"})
    void rejectsWhatIsNotADottedVersion(String text) {
        assertThat(Version.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> Version.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeParts() {
        assertThatThrownBy(() -> Version.of(6, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(Version::of).isInstanceOf(IllegalArgumentException.class);
    }
}
