package org.tlsrollout.agent.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot.KnownError;

/** The signatures of rules.md's known-errors table on sample ConfigMgr log lines (src/test/resources/logs). */
class KnownErrorScannerTest {
    static final Instant NOW = Instant.parse("2026-11-19T18:00:00Z");
    static final List<String> SAMPLES = List.of("SRSRP.log", "ServicePortalWebSite.svclog", "dmpuploader.log", "WCM.log",
            "CcmMessaging.log", "smsprov.log", "SMSAdminUI.log");

    final KnownErrorScanner scanner = new KnownErrorScanner();

    @TempDir
    Path logs;

    @Test
    void findsEverySignatureInTheSampleLogsWithItsTimeInUtc() throws IOException {
        copySamples();
        List<KnownError> found = scanner.scan(DirectoryLogSource.inDirectories(List.of(logs)),
                NOW.minusSeconds(86_400), NOW);
        Map<KnownErrorId, KnownError> byId = found.stream().collect(Collectors.toMap(KnownError::id, e -> e));

        assertThat(byId).containsOnlyKeys(KnownErrorId.SRSRP_CONNECTION_CLOSED, KnownErrorId.APPCATALOG_SOAP_NEGOTIATION,
                KnownErrorId.SCP_UPLOAD_FAILED, KnownErrorId.WSUS_COMMUNICATION_FAILED,
                KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED, KnownErrorId.SQL_SSL_SECURITY_ERROR,
                KnownErrorId.CONSOLE_AZURE_SIGNIN, KnownErrorId.CONSOLE_INTUNE_ONBOARDING);
        // CMTrace time "09:31:00.123+480": local time plus the bias in minutes is UTC; the most recent occurrence wins.
        assertThat(byId.get(KnownErrorId.SRSRP_CONNECTION_CLOSED).seenAt()).isEqualTo("2026-11-19T17:31:00.123Z");
        assertThat(byId.get(KnownErrorId.SRSRP_CONNECTION_CLOSED).source()).isEqualTo("SRSRP.log");
        assertThat(byId.get(KnownErrorId.SRSRP_CONNECTION_CLOSED).excerpt())
                .contains("The underlying connection was closed: An unexpected error occurred on a receive.")
                .doesNotContain("<![LOG[");
        assertThat(byId.get(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED).seenAt()).isEqualTo("2026-11-19T08:00:01.500Z");
        assertThat(byId.get(KnownErrorId.APPCATALOG_SOAP_NEGOTIATION).seenAt()).isEqualTo("2026-11-19T16:02:11.4472041Z");
        assertThat(byId.get(KnownErrorId.WSUS_COMMUNICATION_FAILED).excerpt())
                .isEqualTo("Remote configuration failed on WSUS Server.");
        assertThat(byId.get(KnownErrorId.WSUS_COMMUNICATION_FAILED).seenAt()).isEqualTo("2026-11-19T10:20:11.210Z");
        assertThat(byId.get(KnownErrorId.SCP_UPLOAD_FAILED).source()).isEqualTo("dmpuploader.log");
        assertThat(byId.get(KnownErrorId.CONSOLE_AZURE_SIGNIN).seenAt()).isEqualTo(NOW); // no time the scanner reads
    }

    @Test
    void onlyTheLookBackWindowCounts() throws IOException {
        copySamples();
        List<KnownError> found = scanner.scan(DirectoryLogSource.inDirectories(List.of(logs)),
                Instant.parse("2026-11-19T17:00:00Z"), NOW);
        assertThat(found).extracting(KnownError::id).containsExactly(KnownErrorId.SRSRP_CONNECTION_CLOSED,
                KnownErrorId.CONSOLE_INTUNE_ONBOARDING, KnownErrorId.CONSOLE_AZURE_SIGNIN);
    }

    @Test
    void noLogsMeansLookedAndFoundNothing() {
        assertThat(scanner.scan(DirectoryLogSource.inDirectories(List.of(logs)), NOW.minusSeconds(60), NOW)).isEmpty();
    }

    @Test
    void srsrpMatchesTheSeedsTextAndTheFrameworksText() {
        assertThat(scanner.classify("SRSRP.log",
                "The underlying connection was closed: An expected error occurred on a receive."))
                .contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);
        assertThat(scanner.classify("SRSRP.log",
                "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a receive."))
                .contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);
        // the seed writes the message on two lines
        assertThat(scanner.classify("SRSRP.log", "An expected error occurred on a receive."))
                .contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);
        assertThat(scanner.classify("C:\\Program Files\\SMS_SRSRP\\Logs\\srsrp.log",
                "An unexpected error occurred on a receive.")).contains(KnownErrorId.SRSRP_CONNECTION_CLOSED);
    }

    @Test
    void theSameDotNetTextInAnotherLogIsNotTheReportingPointsError() {
        assertThat(scanner.classify("dmpdownloader.log",
                "The underlying connection was closed: An unexpected error occurred on a receive."))
                .contains(KnownErrorId.SCP_UPLOAD_FAILED);
        assertThat(scanner.classify("smsexec.log",
                "The underlying connection was closed: An unexpected error occurred on a receive.")).isEmpty();
    }

    @Test
    void seedSignatures() {
        assertThat(scanner.classify("ServicePortalWebSite.svclog", "SOAP security negotiation failed. The client and"
                + " server can't communicate because they don't share a common algorithm."))
                .contains(KnownErrorId.APPCATALOG_SOAP_NEGOTIATION);
        assertThat(scanner.classify("smsdbmon.log", "SQL Server communication failed: SslSecurityError"))
                .contains(KnownErrorId.SQL_SSL_SECURITY_ERROR);
        assertThat(scanner.classify(null, "[DBNETLIB]SSL Security error")).contains(KnownErrorId.SQL_SSL_SECURITY_ERROR);
        assertThat(scanner.classify("LocationServices.log", "Failed to send request: 0x80090331 (SEC_E_ALGORITHM_MISMATCH)"))
                .contains(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED);
    }

    @Test
    void benignLinesAreNotErrors() {
        assertThat(scanner.classify("SRSRP.log", "Successfully created srsserver")).isEmpty();
        assertThat(scanner.classify("CcmMessaging.log", "OutgoingMessage: Delivery Error (0x87d00231)")).isEmpty();
        assertThat(scanner.classify("WCM.log", "WSUS Server configuration has been updated")).isEmpty();
    }

    private void copySamples() throws IOException {
        for (String name : SAMPLES) {
            try (InputStream in = getClass().getResourceAsStream("/logs/" + name)) {
                Files.copy(in, logs.resolve(name));
            }
        }
    }
}
