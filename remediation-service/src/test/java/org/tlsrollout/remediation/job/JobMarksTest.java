package org.tlsrollout.remediation.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a poll learns from the job marks, and when a mark goes (plain Java; AgentJobTest has the whole path). */
class JobMarksTest {

    @Test
    void untilTheyAreReadyEveryPollReadsTheJobs() {
        JobMarks marks = new JobMarks();
        assertThat(marks.lookup("PC-1")).isEqualTo(JobMarks.UNKNOWN);
        marks.mark("PC-1");
        assertThat(marks.lookup("PC-1")).isEqualTo(JobMarks.UNKNOWN);

        marks.ready(true);
        assertThat(marks.lookup("PC-1")).isPositive();
        assertThat(marks.lookup("PC-2")).isEqualTo(JobMarks.NONE);

        marks.ready(false);
        assertThat(marks.lookup("PC-2")).as("after the feed failed").isEqualTo(JobMarks.UNKNOWN);
    }

    @Test
    void aReadThatFoundNoJobClearsTheMarkItBeganWith() {
        JobMarks marks = new JobMarks();
        marks.ready(true);
        marks.mark("PC-1");
        long stamp = marks.lookup("PC-1");

        marks.cleared("PC-1", stamp);

        assertThat(marks.lookup("PC-1")).isEqualTo(JobMarks.NONE);
        assertThat(marks.size()).isZero();
    }

    @Test
    void aJobIssuedDuringTheReadKeepsItsMark() {
        JobMarks marks = new JobMarks();
        marks.ready(true);
        marks.mark("PC-1");
        long stamp = marks.lookup("PC-1");

        marks.mark("PC-1"); // issued while the poll read the jobs: the read may not have seen it
        marks.cleared("PC-1", stamp);

        assertThat(marks.lookup("PC-1")).isGreaterThan(stamp);
    }

    @Test
    void clearingAMachineWithoutAMarkOrWithoutAnswerChangesNothing() {
        JobMarks marks = new JobMarks();
        marks.ready(true);
        marks.mark("PC-1");
        long stamp = marks.lookup("PC-1");

        marks.cleared("PC-2", JobMarks.NONE);
        marks.cleared("PC-1", JobMarks.UNKNOWN);
        marks.cleared("PC-1", JobMarks.NONE);

        assertThat(marks.lookup("PC-1")).isEqualTo(stamp);
        assertThat(marks.size()).isOne();
    }

    @Test
    void onlyIssuedEventsMarkAMachine() {
        String issued = "{\"eventId\":\"e1\",\"kind\":\"ISSUED\",\"jobId\":\"j1\",\"machineId\":\"PC-1\",\"seq\":1}";
        String succeeded = issued.replace("ISSUED", "SUCCEEDED");
        assertThat(JobEventsFeed.issuedMachine(issued)).isEqualTo("PC-1");
        assertThat(JobEventsFeed.issuedMachine(succeeded)).isNull();
        assertThat(JobEventsFeed.issuedMachine("not json")).isNull();
        assertThat(JobEventsFeed.issuedMachine(null)).isNull();
    }
}
