package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Role;

class EstateGeneratorTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-19T09:30:00Z"), ZoneOffset.UTC);
    static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");

    @Test
    void theSameSeedGivesTheSameEstate() {
        SimulatedEstate a = new EstateGenerator(2026, 3_000, 5).generate(CLOCK);
        SimulatedEstate b = new EstateGenerator(2026, 3_000, 5).generate(CLOCK);
        assertThat(a.machines()).extracting(EstateGeneratorTest::fingerprint)
                .containsExactlyElementsOf(b.machines().stream().map(EstateGeneratorTest::fingerprint).toList());
    }

    /** A demo run after another on one stack: other site codes, so other machine ids; the rest as before. */
    @Test
    void aFirstSiteShiftsTheSiteCodesAndNothingElse() {
        List<SimulatedMachine> a = new EstateGenerator(9, 300, 2).generate(CLOCK).machines();
        List<SimulatedMachine> b = new EstateGenerator(9, 300, 2, 2).generate(CLOCK).machines();
        assertThat(b).extracting(SimulatedMachine::siteCode).containsOnly("P03", "P04");
        assertThat(b).extracting(SimulatedMachine::id).doesNotContainAnyElementsOf(
                a.stream().map(SimulatedMachine::id).toList());
        assertThat(b).extracting(SimulatedMachine::roles)
                .containsExactlyElementsOf(a.stream().map(SimulatedMachine::roles).toList());
    }

    @Test
    void anotherSeedGivesAnotherEstate() {
        List<String> a = new EstateGenerator(1, 3_000, 5).generate(CLOCK).machines().stream()
                .map(EstateGeneratorTest::fingerprint).toList();
        List<String> b = new EstateGenerator(2, 3_000, 5).generate(CLOCK).machines().stream()
                .map(EstateGeneratorTest::fingerprint).toList();
        long same = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals(b.get(i))) {
                same++;
            }
        }
        assertThat(same).isLessThan(a.size() / 2);
    }

    @Test
    void theMixIsThatOfARealEstate() {
        SimulatedEstate estate = new EstateGenerator(42, 20_000, 8).generate(CLOCK);
        List<SimulatedMachine> clients = estate.machines().stream().filter(m -> !m.isSiteSystem()).toList();
        Map<OsKind, Long> byOs = clients.stream().collect(Collectors.groupingBy(SimulatedMachine::osKind,
                () -> new EnumMap<>(OsKind.class), Collectors.counting()));
        // The mix: Windows 7, 8.1, 10 and 11 clients; no Windows 8.0, where .NET 4.6.2+ cannot install.
        assertThat(byOs).containsKeys(OsKind.WINDOWS_7, OsKind.WINDOWS_81, OsKind.WINDOWS_10, OsKind.WINDOWS_11)
                .doesNotContainKey(OsKind.WINDOWS_8);
        assertThat(share(byOs.get(OsKind.WINDOWS_7), clients.size())).isBetween(0.06, 0.10);
        assertThat(share(byOs.get(OsKind.WINDOWS_10) + byOs.get(OsKind.WINDOWS_10_LTSC_2019), clients.size()))
                .isBetween(0.55, 0.65);
        assertThat(clients).anyMatch(m -> !m.isX64()).anyMatch(m -> m.hasRole(Role.ADMIN_CONSOLE));
        assertThat(clients.stream().filter(m -> !m.isX64() && m.osKind() == OsKind.WINDOWS_11)).isEmpty();

        long fips = estate.machines().stream().filter(SimulatedMachine::isFips).count();
        assertThat(fips).isBetween(1L, 20_000L / 50);

        List<SimulatedMachine> siteSystems = estate.machines().stream().filter(SimulatedMachine::isSiteSystem).toList();
        assertThat(siteSystems).extracting(SimulatedMachine::osKind).contains(OsKind.SERVER_2012, OsKind.SERVER_2012_R2,
                OsKind.SERVER_2016, OsKind.SERVER_2019, OsKind.SERVER_2022);
        assertThat(siteSystems).allMatch(SimulatedMachine::isX64).allMatch(m -> m.osKind().isServer());
        assertThat(estate.machines()).allMatch(m -> m.hasRole(Role.CLIENT));

        for (Site site : estate.sites()) {
            assertThat(estate.machine(site.siteServer()).hasRole(Role.SMS_PROVIDER)).isTrue();
            assertThat(estate.machine(site.database()).sqlServerVersion()).isNotNull();
            assertThat(site.managementPoints()).isNotEmpty();
            assertThat(site.distributionPoints()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(estate.machine(site.softwareUpdatePoint()).hasRole(Role.SOFTWARE_UPDATE_POINT)).isTrue();
        }
        assertThat(estate.sites()).filteredOn(s -> s.secondary() >= 0).hasSize(4)
                .allSatisfy(s -> assertThat(estate.machine(s.secondary()).facts().sql().serverEdition())
                        .startsWith("Express"));
        Set<String> databases = estate.sites().stream().map(s -> estate.machine(s.database()).sqlServerVersion())
                .collect(Collectors.toSet());
        assertThat(databases).hasSize(8);
        assertThat(databases).anyMatch(SqlBuilds::supportsTls12).anyMatch(v -> !SqlBuilds.supportsTls12(v));
        for (Role r : List.of(Role.REPORTING_SERVICES_POINT, Role.SERVICE_CONNECTION_POINT, Role.STATE_MIGRATION_POINT,
                Role.ENDPOINT_PROTECTION_POINT, Role.MULTICAST_DISTRIBUTION_POINT)) {
            assertThat(siteSystems).as(r.name()).anyMatch(m -> m.hasRole(r));
        }
    }

    @Test
    void everySiteDatabaseBranchAppearsAcrossEnoughSites() {
        SimulatedEstate estate = new EstateGenerator(3, 19 * 50, 19).generate(CLOCK);
        Set<String> databases = estate.sites().stream().map(s -> estate.machine(s.database()).sqlServerVersion())
                .collect(Collectors.toSet());
        assertThat(databases).containsExactlyInAnyOrderElementsOf(SqlBuilds.DATABASE);
    }

    @Test
    void smallSitesHaveOneServerWithEveryRole() {
        SimulatedEstate estate = new EstateGenerator(5, 4, 4).generate(CLOCK);
        assertThat(estate.machines()).hasSize(4).allSatisfy(m -> assertThat(m.roles()).contains(Role.SITE_SERVER,
                Role.SITE_DATABASE_SERVER, Role.MANAGEMENT_POINT, Role.DISTRIBUTION_POINT, Role.SOFTWARE_UPDATE_POINT));
        assertThat(estate.sites()).extracting(Site::code).containsExactly("P01", "P02", "P03", "P04");
    }

    @Test
    void idsAreUniqueAndValidAndSiteCodesFollowTheSchema() {
        SimulatedEstate estate = new EstateGenerator(9, 5_000, 150).generate(CLOCK);
        Set<String> ids = new HashSet<>();
        for (SimulatedMachine m : estate.machines()) {
            assertThat(m.id()).matches(MACHINE_ID);
            assertThat(m.siteCode()).matches("^[A-Z0-9]{3}$");
            assertThat(ids.add(m.id())).as(m.id()).isTrue();
        }
        assertThat(estate.machine(estate.machine(4_321).id())).containsSame(estate.machine(4_321));
    }

    @Test
    void refusesAnEstateWithoutAMachinePerSite() {
        assertThatThrownBy(() -> new EstateGenerator(1, 3, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double share(long n, long total) {
        return (double) n / total;
    }

    static String fingerprint(SimulatedMachine m) {
        return m.id() + "|" + m.osKind() + "|" + m.isX64() + "|" + m.roles() + "|" + m.hotfixes() + "|"
                + m.dotnetRelease() + "|" + m.sqlServerVersion() + "|" + m.nativeClientVersion() + "|"
                + m.registry().asMap() + "|" + m.pendingReboot() + "|" + m.lastBootAt() + "|" + m.caps();
    }
}
