-- Fewer and cheaper writes for every job a wave issues (B3, docs/benchmarks.md).

-- 1. The seq of a machine's newest job moves out of the wide machine row (its findings, seven indexes) into a narrow
-- table of its own. Bumping it there is a HOT update of a small row (the primary key does not change, and the
-- fillfactor leaves room on the page), where bumping machine.job_seq copied the whole machine row and added an entry
-- to each of its indexes. A machine without a row here has had no job (seq 0).
CREATE TABLE machine_job_seq (
    machine_id text   NOT NULL,
    -- The seq of the machine's newest job: every job takes job_seq + 1 (api.md: per machine, strictly increasing).
    job_seq    bigint NOT NULL,
    CONSTRAINT machine_job_seq_pk PRIMARY KEY (machine_id),
    CONSTRAINT machine_job_seq_positive CHECK (job_seq > 0)
) WITH (fillfactor = 50);
INSERT INTO machine_job_seq (machine_id, job_seq) SELECT machine_id, job_seq FROM machine WHERE job_seq > 0;
ALTER TABLE machine DROP COLUMN job_seq;

-- 2. One index less on job. job_once_per_batch leads with the machine now, so it also serves the machine view's
-- "newest jobs of this machine" (a handful of rows, sorted by issued_at), and job_machine_idx goes. ON CONFLICT
-- (wave_id, machine_id, batch) infers the unique index by its set of columns, so issuing is unchanged.
ALTER TABLE job ADD CONSTRAINT job_once_per_batch_by_machine UNIQUE (machine_id, wave_id, batch);
ALTER TABLE job DROP CONSTRAINT job_once_per_batch;
ALTER TABLE job RENAME CONSTRAINT job_once_per_batch_by_machine TO job_once_per_batch;
DROP INDEX job_machine_idx;
