-- Waves, their targets and history, the signed fix jobs, and the outbox of job events (issue #3).
-- Written by WaveService (waves, targets, history), WaveEngine and JobIssuer (jobs, batches), AgentJobs (results)
-- and read by OutboxRelay (outbox). All times are UTC instants.

-- What the jobs add to a machine. The evaluation upsert (MachineStore) never writes these columns, except that an
-- evaluation whose last_boot_at is at or after pending_restart_since clears the pending restart.
ALTER TABLE machine
    -- The seq of the machine's newest job: every job takes job_seq + 1 (api.md: per machine, strictly increasing).
    ADD COLUMN job_seq               bigint      NOT NULL DEFAULT 0,
    -- A job of this phase succeeded and asked for a restart that no snapshot has shown yet: PENDING_RESTART.
    ADD COLUMN pending_restart_phase text,
    -- When that job was reported, to the second (boot times are whole seconds).
    ADD COLUMN pending_restart_since timestamptz,
    ADD CONSTRAINT machine_pending_restart_phase_known
        CHECK (pending_restart_phase IN ('CLIENTS', 'SITE_SYSTEMS', 'VERIFY', 'DISABLE_LEGACY')),
    ADD CONSTRAINT machine_pending_restart_complete
        CHECK ((pending_restart_phase IS NULL) = (pending_restart_since IS NULL));

CREATE TABLE wave (
    id                   text             NOT NULL,
    name                 text             NOT NULL,
    phase                text             NOT NULL,
    sites                text[]           NOT NULL,
    selector_roles       text[]           NOT NULL DEFAULT '{}',
    selector_os_versions text[]           NOT NULL DEFAULT '{}',
    -- Machines per batch: as asked, or derived from percent and the number targeted.
    batch_size           integer          NOT NULL,
    -- As asked, when the batches were given as a percentage of the machines targeted.
    percent              integer,
    max_failure_rate     double precision NOT NULL,
    -- The orphan gate let stale machines pass because the operator said so (rules.md).
    acknowledge_stale    boolean          NOT NULL DEFAULT false,
    state                text             NOT NULL,
    -- A rollback wave names the wave whose recorded previous values it restores.
    rollback_of          text,
    targeted             integer          NOT NULL DEFAULT 0,
    batches              integer          NOT NULL DEFAULT 0,
    -- From 1; batches + 1 once the last batch is done.
    current_batch        integer          NOT NULL DEFAULT 1,
    -- The failure rate at the end of batches up to this one was accepted by an operator (resume after HALTED).
    accepted_batch       integer          NOT NULL DEFAULT 0,
    halted_reason        text,
    created_at           timestamptz      NOT NULL DEFAULT now(),
    created_by           text             NOT NULL,
    updated_at           timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT wave_pk PRIMARY KEY (id),
    CONSTRAINT wave_rollback_of_fk FOREIGN KEY (rollback_of) REFERENCES wave (id),
    CONSTRAINT wave_phase_known CHECK (phase IN ('CLIENTS', 'SITE_SYSTEMS', 'VERIFY', 'DISABLE_LEGACY')),
    CONSTRAINT wave_state_known
        CHECK (state IN ('PLANNED', 'RUNNING', 'PAUSED', 'HALTED', 'COMPLETED', 'CANCELLED')),
    CONSTRAINT wave_batch_size_positive CHECK (batch_size >= 1),
    CONSTRAINT wave_percent_range CHECK (percent IS NULL OR percent BETWEEN 1 AND 100),
    CONSTRAINT wave_max_failure_rate_range CHECK (max_failure_rate >= 0 AND max_failure_rate <= 1)
);

-- The engine's work list: the waves that may issue jobs.
CREATE INDEX wave_active_idx ON wave (created_at) WHERE state IN ('PLANNED', 'RUNNING');

-- Every state change of a wave (and every batch released), with who asked for it and when.
CREATE TABLE wave_event (
    id         bigserial   NOT NULL,
    wave_id    text        NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    -- The operator's principal, or 'system' for the engine.
    actor      text        NOT NULL,
    action     text        NOT NULL,
    from_state text,
    to_state   text        NOT NULL,
    detail     text,
    CONSTRAINT wave_event_pk PRIMARY KEY (id),
    CONSTRAINT wave_event_wave_fk FOREIGN KEY (wave_id) REFERENCES wave (id)
);
CREATE INDEX wave_event_wave_idx ON wave_event (wave_id, id);

-- The machines a wave targets, each in one batch (from 1), chosen when the wave is created.
CREATE TABLE wave_target (
    wave_id    text    NOT NULL,
    machine_id text    NOT NULL,
    batch      integer NOT NULL,
    -- PENDING until its batch is issued; then ISSUED (it has its job) or SKIPPED (no action to take, or refused).
    state      text    NOT NULL DEFAULT 'PENDING',
    detail     text,
    CONSTRAINT wave_target_pk PRIMARY KEY (wave_id, machine_id),
    CONSTRAINT wave_target_wave_fk FOREIGN KEY (wave_id) REFERENCES wave (id),
    CONSTRAINT wave_target_state_known CHECK (state IN ('PENDING', 'ISSUED', 'SKIPPED'))
);
CREATE INDEX wave_target_pending_idx ON wave_target (wave_id, batch, machine_id) WHERE state = 'PENDING';

-- Signed fix jobs. One per machine per batch of a wave, whatever happens: job_once_per_batch.
CREATE TABLE job (
    -- The JWS jti.
    id              text        NOT NULL,
    wave_id         text        NOT NULL,
    machine_id      text        NOT NULL,
    batch           integer     NOT NULL,
    seq             bigint      NOT NULL,
    phase           text        NOT NULL,
    site_code       text        NOT NULL,
    rules           text[]      NOT NULL,
    actions         jsonb       NOT NULL,
    -- The key that signed it.
    kid             text        NOT NULL,
    jws             text        NOT NULL,
    state           text        NOT NULL DEFAULT 'ISSUED',
    -- It ends with a RESTART action: once it succeeds the machine is PENDING_RESTART in its phase.
    restart         boolean     NOT NULL,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    -- When the agent reported it; null until then, also when it expired or was cancelled unreported.
    reported_at     timestamptz,
    detail          text,
    -- What the agent reported the values it wrote were before, for rollback: [{key, name, value}], value null = absent.
    previous_values jsonb,
    CONSTRAINT job_pk PRIMARY KEY (id),
    CONSTRAINT job_wave_fk FOREIGN KEY (wave_id) REFERENCES wave (id),
    CONSTRAINT job_once_per_batch UNIQUE (wave_id, machine_id, batch),
    CONSTRAINT job_state_known CHECK (state IN ('ISSUED', 'SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED')),
    CONSTRAINT job_phase_known CHECK (phase IN ('CLIENTS', 'SITE_SYSTEMS', 'VERIFY', 'DISABLE_LEGACY'))
);
-- Agent polling: the machine's ISSUED jobs in seq order; also "no ISSUED job in another wave" when targeting.
CREATE INDEX job_issued_idx ON job (machine_id, seq) WHERE state = 'ISSUED';
-- Expiry.
CREATE INDEX job_expiry_idx ON job (expires_at) WHERE state = 'ISSUED';
-- Batch progress and wave counts.
CREATE INDEX job_wave_batch_idx ON job (wave_id, batch, state);
-- The machine view: its newest jobs.
CREATE INDEX job_machine_idx ON job (machine_id, issued_at DESC);

-- Transactional outbox: job events written in the same transaction as the change they tell of, relayed to Kafka
-- by OutboxRelay and deleted only once Kafka acknowledged them (at least once; consumers deduplicate by event_id,
-- the CloudEvents ce_id).
CREATE TABLE outbox (
    id          bigserial   NOT NULL,
    topic       text        NOT NULL,
    message_key text        NOT NULL,
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbox_pk PRIMARY KEY (id),
    CONSTRAINT outbox_event_id_unique UNIQUE (event_id)
);

-- A job's JWS (about 2.4 KB) and actions go over the 2 KB at which PostgreSQL compresses a value; lz4 costs much less
-- CPU than the default pglz when a wave writes thousands of jobs a second. Only where the server has lz4 (as V1).
DO $$
BEGIN
    ALTER TABLE job ALTER COLUMN jws SET COMPRESSION lz4;
    ALTER TABLE job ALTER COLUMN actions SET COMPRESSION lz4;
    ALTER TABLE job ALTER COLUMN previous_values SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'jobs keep the default compression: %', SQLERRM;
END
$$;
