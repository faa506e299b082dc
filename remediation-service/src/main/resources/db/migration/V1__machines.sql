-- The newest evaluation of every machine (rules-service, topic tlsrollout.evaluations.v1), one row per machine.
-- Written only by EvaluationListener's batch upsert, which keeps the row of the newest collected_at.
-- STALE is never stored: queries derive it from collected_at and remediation.staleness-window (rules.md).
CREATE TABLE machine (
    machine_id           text        NOT NULL,
    site_code            text        NOT NULL,
    machine_class        text        NOT NULL,
    os_version           text,
    roles                text[]      NOT NULL DEFAULT '{}',
    collected_at         timestamptz NOT NULL,
    received_at          timestamptz,
    evaluated_at         timestamptz,
    snapshot_id          text,
    sequence             bigint,
    last_boot_at         timestamptz,
    catalog_version      text,
    clients_state        text        NOT NULL,
    site_systems_state   text        NOT NULL,
    verify_state         text        NOT NULL,
    disable_legacy_state text        NOT NULL,
    -- The results whose status is FAIL or UNKNOWN, as RuleResult JSON, actions included (fix jobs are built from them).
    findings             jsonb       NOT NULL DEFAULT '[]',
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT machine_pk PRIMARY KEY (machine_id),
    CONSTRAINT machine_class_known CHECK (machine_class IN ('client', 'site-system')),
    -- The states an evaluation gives (rules.md); PENDING_RESTART and STALE are remediation-service's own, not stored here.
    CONSTRAINT machine_clients_state_known
        CHECK (clients_state IN ('COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE')),
    CONSTRAINT machine_site_systems_state_known
        CHECK (site_systems_state IN ('COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE')),
    CONSTRAINT machine_verify_state_known
        CHECK (verify_state IN ('COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE')),
    CONSTRAINT machine_disable_legacy_state_known
        CHECK (disable_legacy_state IN ('COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN', 'NOT_APPLICABLE')),
    CONSTRAINT machine_findings_array CHECK (jsonb_typeof(findings) = 'array')
);

-- GET /api/v1/machines?site=..., paged in machine id order (the primary key serves the unfiltered list).
CREATE INDEX machine_site_idx ON machine (site_code, machine_id);
-- STALE: collected_at older than the staleness window.
CREATE INDEX machine_collected_at_idx ON machine (collected_at);
-- GET /api/v1/machines?phase=...&state=..., paged in machine id order, for the states that mean work to do. Partial,
-- so that a row costs index upkeep only in the phases where it has work left: every evaluation rewrites its row, and
-- four full indexes on the states cost a third of the ingest rate. The common states (COMPLIANT, NOT_APPLICABLE)
-- are found by walking the primary key in order, which stops at the page's end.
CREATE INDEX machine_clients_todo_idx ON machine (machine_id)
    WHERE clients_state IN ('NONCOMPLIANT', 'UNKNOWN');
CREATE INDEX machine_site_systems_todo_idx ON machine (machine_id)
    WHERE site_systems_state IN ('NONCOMPLIANT', 'UNKNOWN');
CREATE INDEX machine_verify_todo_idx ON machine (machine_id)
    WHERE verify_state IN ('NONCOMPLIANT', 'UNKNOWN');
CREATE INDEX machine_disable_legacy_todo_idx ON machine (machine_id)
    WHERE disable_legacy_state IN ('NONCOMPLIANT', 'UNKNOWN');

-- Findings of a machine before the rollout take 2-3 KB, which PostgreSQL compresses on every write; lz4 costs less
-- CPU than the default pglz. Only where the server was built with lz4 (PostgreSQL 14 and later, as packaged).
DO $$
BEGIN
    ALTER TABLE machine ALTER COLUMN findings SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'findings keep the default compression: %', SQLERRM;
END
$$;
