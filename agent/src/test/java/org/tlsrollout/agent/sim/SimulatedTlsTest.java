package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.jobs.ApplyOutcome;
import org.tlsrollout.agent.jobs.JobApplier;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CatalogUpdates;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;

/**
 * The simulated TLS 1.2 probe and known errors: a probe fails until both sides have TLS 1.2 usable, changes
 * count only after a restart, and doing the phases in the wrong order shows up as failed probes and errors.
 */
class SimulatedTlsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-19T09:30:00Z"), ZoneOffset.UTC);
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
    static final String TLS12_SERVER = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER);

    final SimulatedEstate estate = new EstateGenerator(11, 2_000, 2).generate(CLOCK);
    long seq = 1;

    @Test
    void aWindows7ClientsProbeFailsBeforeTheClientsPhaseAndPassesAfterItsRestart() {
        SimulatedMachine win7 = client(m -> m.osKind() == OsKind.WINDOWS_7 && m.isX64() && !m.hasHotfix("KB3140245"));
        SimulatedMachine mp = managementPointOf(win7);
        defaults(win7);
        defaults(mp);

        MachineSnapshot.Probe before = probeTo(win7, mp);
        assertThat(before.ok()).isFalse();
        assertThat(before.error()).contains("SEC_E_ALGORITHM_MISMATCH");

        ApplyOutcome outcome = apply(win7, Phases.enableClient(win7));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(win7.pendingReboot()).isTrue();
        assertThat(probeTo(win7, mp).ok()).as("registry changes wait for the restart").isFalse();

        estate.restart(win7);
        assertThat(probeTo(win7, mp).ok()).isTrue();
        assertThat(win7.pendingReboot()).isFalse();
        assertThat(win7.hasHotfix("KB3140245")).isTrue();
    }

    @Test
    void theKbAloneOrTheRegistryAloneIsNotEnoughOnWindows7() {
        SimulatedMachine win7 = client(m -> m.osKind() == OsKind.WINDOWS_7 && !m.hasHotfix("KB3140245"));
        SimulatedMachine mp = managementPointOf(win7);
        defaults(win7);
        defaults(mp);
        apply(win7, List.of(Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0),
                Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                Action.setDword(TLS12_CLIENT, RegistryKeys.DISABLED_BY_DEFAULT, 0)));
        estate.restart(win7);
        assertThat(probeTo(win7, mp).ok()).as("DefaultSecureProtocols without KB3140245").isFalse();

        apply(win7, List.of(Action.installUpdate("KB3140245")));
        estate.restart(win7);
        assertThat(probeTo(win7, mp).ok()).isTrue();
    }

    @Test
    void aSiteSystemWithTls12ServerDisabledFailsEveryClientUntilTheSiteSystemsPhase() {
        SimulatedMachine win10 = client(m -> m.osKind() == OsKind.WINDOWS_10);
        SimulatedMachine mp = managementPointOf(win10);
        defaults(win10);
        defaults(mp);
        mp.registry().put(TLS12_SERVER, RegistryKeys.ENABLED, 0); // an old hardening template
        estate.restart(mp);
        assertThat(probeTo(win10, mp).ok()).isFalse();

        apply(mp, Phases.enableSiteSystem(mp));
        estate.restart(mp);
        assertThat(probeTo(win10, mp).ok()).isTrue();
    }

    @Test
    void disablingLegacyProtocolsBeforeTheClientsPhaseOrphansWindows7Clients() {
        SimulatedMachine win7 = client(m -> m.osKind() == OsKind.WINDOWS_7 && !m.hasHotfix("KB3140245"));
        SimulatedMachine mp = managementPointOf(win7);
        defaults(win7);
        defaults(mp);
        assertThat(errors(win7)).doesNotContain(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED);

        apply(mp, Phases.disableLegacy()); // the wrong order: DISABLE_LEGACY first
        estate.restart(mp);
        assertThat(errors(win7)).contains(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED);
        assertThat(estate.knownErrors(win7)).filteredOn(e -> e.id() == KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED)
                .first().satisfies(e -> assertThat(e.source()).isEqualTo("CcmMessaging.log"));

        apply(win7, Phases.enableClient(win7));
        estate.restart(win7);
        assertThat(errors(win7)).doesNotContain(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED);
        assertThat(probeTo(win7, mp).ok()).isTrue();
    }

    @Test
    void inTheRightOrderNoClientIsOrphaned() {
        SimulatedMachine win7 = client(m -> m.osKind() == OsKind.WINDOWS_7 && !m.hasHotfix("KB3140245"));
        SimulatedMachine mp = managementPointOf(win7);
        defaults(win7);
        defaults(mp);
        apply(win7, Phases.enableClient(win7));
        estate.restart(win7);
        apply(mp, Phases.enableSiteSystem(mp));
        estate.restart(mp);
        apply(mp, Phases.disableLegacy());
        estate.restart(mp);
        assertThat(errors(win7)).doesNotContain(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED);
        assertThat(probeTo(win7, mp).ok()).isTrue();
    }

    @Test
    void aReportingServicesPointWithoutStrongCryptoLogsSrsrpConnectionClosedUntilSmsExecutiveRestarts() {
        SimulatedMachine rsp = estate.machines().stream().filter(m -> m.hasRole(Role.REPORTING_SERVICES_POINT))
                .findFirst().orElseThrow();
        defaults(rsp);
        assertThat(errors(rsp)).contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);

        rsp.registry().writeDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1);
        assertThat(errors(rsp)).as("not before SMS_Executive reloads .NET").contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);
        ApplyOutcome outcome = apply(rsp, List.of(Action.restartService("SMS_EXECUTIVE")));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(errors(rsp)).doesNotContain(KnownErrorId.SRSRP_CONNECTION_CLOSED);
    }

    @Test
    void wsusOn2012R2WithoutItsUpdateFailsOnceLegacyProtocolsAreDisabled() {
        SimulatedEstate e = null;
        SimulatedMachine sup = null;
        for (long s = 1; sup == null; s++) {
            e = new EstateGenerator(s, 400, 4).generate(CLOCK);
            sup = e.machines().stream().filter(m -> m.hasRole(Role.SOFTWARE_UPDATE_POINT)
                    && m.osKind() == OsKind.SERVER_2012_R2 && !m.hasHotfix("KB4022720")).findFirst().orElse(null);
        }
        SimulatedEstate estate2 = e;
        defaults(sup);
        sup.registry().put(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1);
        estate2.restart(sup);
        assertThat(kinds(estate2.knownErrors(sup))).doesNotContain(KnownErrorId.WSUS_COMMUNICATION_FAILED);

        applyIn(estate2, sup, Phases.disableLegacy());
        estate2.restart(sup);
        assertThat(kinds(estate2.knownErrors(sup))).contains(KnownErrorId.WSUS_COMMUNICATION_FAILED);

        applyIn(estate2, sup, List.of(Action.installUpdate("KB4022720")));
        estate2.restart(sup);
        assertThat(kinds(estate2.knownErrors(sup))).doesNotContain(KnownErrorId.WSUS_COMMUNICATION_FAILED);
    }

    @Test
    void sqlServerWithoutTheTls12UpdateFailsTheSiteServersProbeUntilKb3135244() {
        Site site = estate.sites().get(0);
        SimulatedMachine db = estate.machine(site.database());
        SimulatedMachine siteServer = estate.machine(site.siteServer());
        defaults(db);
        defaults(siteServer);
        siteServer.nativeClientVersion("11.4.7001.0");
        db.sqlServerVersion("12.0.2342.0"); // SQL Server 2014 RTM CU line
        estate.restart(siteServer);
        estate.restart(db);
        assertThat(probeTo(siteServer, db).ok()).isFalse();
        assertThat(probeTo(siteServer, db).target()).isEqualTo(db.id() + ":1433");

        ApplyOutcome other = apply(db, List.of(Action.installUpdate(CatalogUpdates.SQL_2014_SP1_CU)));
        assertThat(other.result().outcome()).isEqualTo(JobOutcome.FAILED); // another branch's update
        assertThat(other.result().detail()).contains("NOT_APPLICABLE", CatalogUpdates.SQL_2014_RTM_CU);

        ApplyOutcome outcome = apply(db, List.of(Action.installUpdate(CatalogUpdates.SQL_2014_RTM_CU)));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(db.sqlServerVersion()).isEqualTo("12.0.2564.0");
        assertThat(probeTo(siteServer, db).ok()).as("SQL Server restarts with its update").isTrue();
    }

    @Test
    void sqlServerOfABranchWithoutTls12CannotBeUpdated() {
        SimulatedMachine db = estate.machine(estate.sites().get(0).database());
        db.sqlServerVersion("11.0.3000.0"); // SQL Server 2012 SP1
        ApplyOutcome outcome = apply(db, List.of(Action.installUpdate(CatalogUpdates.SQL_2012_SP2_GDR)));
        assertThat(outcome.result().outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(outcome.result().detail()).contains("upgrade");
    }

    @Test
    void fipsBringsTls10BackEvenWhenTheRegistryDisablesIt() {
        SimulatedMachine m = client(x -> x.osKind() == OsKind.WINDOWS_10);
        defaults(m);
        apply(m, Phases.disableLegacy());
        estate.restart(m);
        assertThat(SimulatedTls.set(m.caps(), SimulatedTls.SCH_CLIENT) & SimulatedTls.TLS10).isZero();

        m.registry().put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
        estate.restart(m);
        assertThat(SimulatedTls.set(m.caps(), SimulatedTls.SCH_CLIENT) & SimulatedTls.TLS10).isNotZero();
        assertThat(m.isFips()).isTrue();
    }

    @Test
    void probesGoToTheSiteSystemsAMachineTalksTo() {
        SimulatedMachine client = client(m -> true);
        List<MachineSnapshot.Probe> probes = estate.probes(client);
        assertThat(probes).extracting(MachineSnapshot.Probe::target).allMatch(t -> t.startsWith("https://"))
                .anyMatch(t -> t.endsWith(":8531"));
        assertThat(probes).allMatch(p -> p.protocol().equals("TLS1.2") && p.checkedAt().equals(CLOCK.instant()));
        SimulatedMachine siteServer = estate.machine(estate.sites().get(0).siteServer());
        assertThat(estate.probes(siteServer)).extracting(MachineSnapshot.Probe::target).anyMatch(t -> t.endsWith(":1433"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private SimulatedMachine client(Predicate<SimulatedMachine> p) {
        return estate.machines().stream().filter(m -> !m.isSiteSystem() && m.index() % 4 != 0 && p.test(m))
                .findFirst().orElseThrow();
    }

    private SimulatedMachine managementPointOf(SimulatedMachine m) {
        Site site = m.site();
        return estate.machine(site.managementPoints()[m.index() % site.managementPoints().length]);
    }

    /** The TLS registry back to the OS defaults: no explicit SChannel, WinHTTP or .NET values, FIPS off. */
    private void defaults(SimulatedMachine m) {
        for (String p : List.of(RegistryKeys.SCH_SSL3, RegistryKeys.SCH_TLS10, RegistryKeys.SCH_TLS11,
                RegistryKeys.SCH_TLS12)) {
            for (String side : List.of(RegistryKeys.CLIENT, RegistryKeys.SERVER)) {
                m.registry().remove(RegistryKeys.schannel(p, side), RegistryKeys.ENABLED);
                m.registry().remove(RegistryKeys.schannel(p, side), RegistryKeys.DISABLED_BY_DEFAULT);
            }
        }
        for (String k : List.of(RegistryKeys.NET4, RegistryKeys.NET2, RegistryKeys.NET4_WOW, RegistryKeys.NET2_WOW)) {
            m.registry().remove(k, RegistryKeys.SCH_USE_STRONG_CRYPTO);
            m.registry().remove(k, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS);
        }
        m.registry().remove(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS);
        m.registry().remove(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS);
        m.registry().remove(RegistryKeys.FIPS, RegistryKeys.ENABLED);
        m.boot(CLOCK.instant());
    }

    private MachineSnapshot.Probe probeTo(SimulatedMachine from, SimulatedMachine to) {
        return estate.probes(from).stream().filter(p -> p.target().contains(to.id())).findFirst().orElseThrow();
    }

    private List<KnownErrorId> errors(SimulatedMachine m) {
        return kinds(estate.knownErrors(m));
    }

    private static List<KnownErrorId> kinds(List<MachineSnapshot.KnownError> errors) {
        return errors.stream().map(MachineSnapshot.KnownError::id).toList();
    }

    private ApplyOutcome apply(SimulatedMachine m, List<Action> actions) {
        return applyIn(estate, m, actions);
    }

    private ApplyOutcome applyIn(SimulatedEstate e, SimulatedMachine m, List<Action> actions) {
        JobApplier applier = new JobApplier(m.registry(), e.deployments(m), e.host(m), e.prober(m), ActionHook.NONE);
        return applier.apply(TestJobs.claims(m.id(), seq++, CLOCK.instant(), actions.toArray(Action[]::new)));
    }
}
