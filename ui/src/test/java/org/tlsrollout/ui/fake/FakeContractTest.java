package org.tlsrollout.ui.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What of {@link FakeRemediation} can be checked against the contract without remediation-service: the columns of
 * the machines list as CSV are api.md's. (The JSON shapes it answers are not checked against the real service here.)
 */
class FakeContractTest {

    @Test
    void theMachinesCsvHasApiMdsColumns() throws IOException {
        String api = Files.readString(Path.of("../docs/contract/api.md"));
        Matcher m = Pattern.compile("`GET /api/v1/machines\\?[^`]*`.*?with `Accept: text/csv`.*?columns `([^`]+)`").matcher(api);
        assertThat(m.find()).as("api.md names the columns of the machines list as CSV").isTrue();
        assertThat(FakeRemediation.MACHINES_CSV_HEADER).isEqualTo(m.group(1));
    }
}
