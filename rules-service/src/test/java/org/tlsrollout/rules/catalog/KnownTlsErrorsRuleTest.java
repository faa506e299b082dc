package org.tlsrollout.rules.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tlsrollout.rules.catalog.Catalogs.result;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/** 001, "Known issues", as rules.md's "Known errors" table restates each resolution and action. */
class KnownTlsErrorsRuleTest {
    private static final RuleId ID = RuleId.KNOWN_TLS_ERRORS;
    private static final Action RESTART = Action.restart(KnownErrorResolutions.RESTART_REASON);

    /** Each row: the error, a phrase of its resolution that the message must carry, its action (or null). */
    static Stream<Arguments> table() {
        return Stream.of(
                // 001: "verify ... .NET Framework is updated ... SQL Server is updated on the host server ... SQL client components are updated"
                Arguments.of(KnownErrorId.SQL_SSL_SECURITY_ERROR, "SQL client components updated on site servers", null),
                // 001: "Verify that the SMS_Executive service has been restarted after any updates are installed."
                Arguments.of(KnownErrorId.SRSRP_CONNECTION_CLOSED, "SMS_Executive restarted after the updates",
                        Action.restartService("SMS_EXECUTIVE")),
                // 001: "create a W2SP.exe.config file ... Use HTTPS transport security ... restart the computer"
                Arguments.of(KnownErrorId.APPCATALOG_SOAP_NEGOTIATION, "W2SP.exe.config", RESTART),
                // 001: "Remember to restart the computers after the changes are made."
                Arguments.of(KnownErrorId.SCP_UPLOAD_FAILED, ".NET with strong cryptography on each computer; restart",
                        RESTART),
                Arguments.of(KnownErrorId.CONSOLE_INTUNE_ONBOARDING, ".NET with strong cryptography; restart", RESTART),
                // 001: "A restart is required for these changes to take effect."
                Arguments.of(KnownErrorId.CONSOLE_AZURE_SIGNIN, ".NET with strong cryptography; restart", RESTART),
                // 001: "apply update 4022721 ... apply update 4022720"
                Arguments.of(KnownErrorId.WSUS_COMMUNICATION_FAILED, "KB4022721 (2012) or KB4022720 (2012 R2)", null),
                // 001: "verify that Windows has been updated to support TLS 1.2 for client-server communication by using WinHTTP"
                Arguments.of(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED, "KB3140245 and DefaultSecureProtocols", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    @DisplayName("001 \"Known issues\": each error found fails with its resolution and the table's action")
    void eachErrorGivesItsResolution(KnownErrorId id, String resolution, Action action) {
        RuleResult r = result(SnapshotBuilder.win10().knownError(id, "C:\\Program Files\\SMS_CCM\\Logs\\x.log"), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.message()).contains("found " + id, "resolution: ", resolution, "x.log");
        if (action == null) {
            assertThat(r.actions()).isEmpty();
        } else {
            assertThat(r.actions()).containsExactly(action);
        }
        assertThat(r.phase()).isEqualTo(Phase.VERIFY);
        assertThat(r.source()).isEqualTo("001");
    }

    @Test
    @DisplayName("rules.md: \"the table's action for each error found\": several errors, each action once")
    void severalErrorsGiveEachActionOnce() {
        RuleResult r = result(SnapshotBuilder.win10()
                .knownError(KnownErrorId.SRSRP_CONNECTION_CLOSED, "SRSRP.log")
                .knownError(KnownErrorId.SCP_UPLOAD_FAILED, null)
                .knownError(KnownErrorId.CONSOLE_AZURE_SIGNIN, null)
                .knownError(KnownErrorId.SRSRP_CONNECTION_CLOSED, "SRSRP.log")
                .knownError(KnownErrorId.WSUS_COMMUNICATION_FAILED, null), ID);
        assertThat(r.status()).isEqualTo(RuleStatus.FAIL);
        assertThat(r.actions()).containsExactly(Action.restartService("SMS_EXECUTIVE"), RESTART);
        assertThat(r.message()).contains("found SRSRP_CONNECTION_CLOSED in SRSRP.log", "found SCP_UPLOAD_FAILED",
                "found CONSOLE_AZURE_SIGNIN", "found WSUS_COMMUNICATION_FAILED", "KB4022721");
        assertThat(r.message().split("found SRSRP_CONNECTION_CLOSED", -1)).hasSize(2);
    }

    @Test
    @DisplayName("rules.md: \"knownErrors is empty\" passes; \"Absent: PASS (the agent did not look)\"")
    void emptyOrAbsentPasses() {
        RuleResult empty = result(SnapshotBuilder.win10().emptyKnownErrors(), ID);
        assertThat(empty.status()).isEqualTo(RuleStatus.PASS);
        assertThat(empty.message()).contains("no known TLS error found");
        RuleResult absent = result(SnapshotBuilder.win10(), ID);
        assertThat(absent.status()).isEqualTo(RuleStatus.PASS);
        assertThat(absent.message()).contains("did not look");
    }
}
