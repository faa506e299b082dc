package org.tlsrollout.agent.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Role;

class ProgramConfigTest {
    static Properties minimal() {
        Properties p = new Properties();
        p.setProperty("collector.url", "https://collector.corp.example:8443");
        p.setProperty("remediation.url", "https://remediation.corp.example:8443/");
        p.setProperty("site.code", "P01");
        p.setProperty("enroll.secret.file", "enroll.secret");
        p.setProperty("signing.keys.file", "C:\\ProgramData\\tlsrollout\\signing-keys.json");
        p.setProperty("state.dir", "state");
        return p;
    }

    @Test
    void defaultsAndRelativePaths() {
        ProgramConfig c = ProgramConfig.parse(minimal(), Path.of("/etc/tlsrollout"));
        assertThat(c.jwksUrl()).hasToString("https://remediation.corp.example:8443/.well-known/jwks.json");
        assertThat(c.stateDir()).isEqualTo(Path.of("/etc/tlsrollout/state"));
        assertThat(c.serviceInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.maintenanceWindow()).isNull();
        assertThat(c.laterRollups()).isEmpty();
    }

    @Test
    void optionalSettings() {
        Properties p = minimal();
        p.setProperty("later.rollups", "kb4025336, KB4025331");
        p.setProperty("roles", "management_point,DISTRIBUTION_POINT");
        p.setProperty("probe.targets", "p01-sql01.corp.example:1433");
        p.setProperty("maintenance.window", "Sat 22:00-04:00");
        ProgramConfig c = ProgramConfig.parse(p, null);
        assertThat(c.laterRollups()).isEqualTo(Set.of("KB4025336", "KB4025331"));
        assertThat(c.roles()).containsExactly(Role.MANAGEMENT_POINT, Role.DISTRIBUTION_POINT);
        assertThat(c.probeTargets()).containsExactly("p01-sql01.corp.example:1433");
        MaintenanceWindow w = c.maintenanceWindow();
        assertThat(w.day()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(w.contains(ZonedDateTime.parse("2026-12-05T23:00:00Z"))).isTrue(); // Saturday evening
        assertThat(w.contains(ZonedDateTime.parse("2026-12-06T03:59:00Z"))).isTrue(); // Sunday morning
        assertThat(w.contains(ZonedDateTime.parse("2026-12-06T23:00:00Z"))).isFalse(); // Sunday evening
    }

    @Test
    void eachProblemNamesItsSetting() {
        for (String[] bad : List.of(
                new String[] {"collector.url", "http://collector.corp.example:8081"},
                new String[] {"remediation.url", "ftp://127.0.0.1/"},
                new String[] {"site.code", "P0001"},
                new String[] {"later.rollups", "KB12"},
                new String[] {"roles", "MAIL_SERVER"},
                new String[] {"probe.targets", "x';Remove-Item C:\\;'"},
                new String[] {"maintenance.window", "weekends"},
                new String[] {"service.interval", "15 minutes"},
                new String[] {"state.dir", ""})) {
            Properties p = minimal();
            p.setProperty(bad[0], bad[1]);
            assertThatThrownBy(() -> ProgramConfig.parse(p, null)).as(bad[0])
                    .isInstanceOf(ProgramConfig.ConfigException.class).hasMessageContaining(bad[0]);
        }
    }
}
