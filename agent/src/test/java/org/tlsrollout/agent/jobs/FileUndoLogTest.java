package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;

class FileUndoLogTest {
    @TempDir
    Path dir;

    @Test
    void aRecordSurvivesTheAgentKeepsTheFirstStateOfAValueAndItsUndoneMark() {
        String job = "wave-3:job:0001"; // ':' is no file name on Windows: stored under its hash
        FileUndoLog log = new FileUndoLog(dir);
        log.record(job, new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null));
        log.record(job, new PreviousValue(RegistryKeys.NET4, "schusestrongcrypto", 1L)); // the same value again
        log.record(job, new PreviousValue(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0L));

        FileUndoLog reopened = new FileUndoLog(dir);
        assertThat(reopened.get(job).orElseThrow().previous()).containsExactly(
                new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null),
                new PreviousValue(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0L));
        assertThat(reopened.get("other-job")).isEmpty();

        reopened.markUndone(job, "job-9");
        assertThat(new FileUndoLog(dir).get(job).orElseThrow().undoneBy()).isEqualTo("job-9");
    }
}
