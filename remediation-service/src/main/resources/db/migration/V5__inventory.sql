-- The expected estate (api.md, "The expected estate (inventory)"): machines known from inventory that never sent a
-- snapshot have a row too, never_reported, with no collected_at and UNKNOWN in every phase their roles make
-- applicable. The first evaluation of such a machine replaces the row whole (MachineStore's upsert).
ALTER TABLE machine ALTER COLUMN collected_at DROP NOT NULL;
ALTER TABLE machine ADD COLUMN never_reported boolean NOT NULL DEFAULT false;
-- The lastSeenAt of the newest inventory line of the machine (for the way back from retirement).
ALTER TABLE machine ADD COLUMN inventory_seen_at timestamptz;
-- POST /api/v1/machines/{id}/retire: counts nowhere while set. A later snapshot, or an inventory line whose lastSeenAt
-- is after it, clears it.
ALTER TABLE machine ADD COLUMN retired_at timestamptz;
ALTER TABLE machine ADD CONSTRAINT machine_reported_has_collected_at
    CHECK (never_reported OR collected_at IS NOT NULL);

-- The never-reported machines of a site (gauge, orphan gate, list filter): few, so a small partial index.
CREATE INDEX machine_never_reported_idx ON machine (site_code, machine_id) WHERE never_reported;

-- POST /api/v1/waves with Idempotency-Key: the key, a digest of the request body and the wave it made. The primary
-- key makes two requests with one key race-free: the second waits for the first's transaction, then sees its row.
CREATE TABLE wave_idempotency_key (
    idempotency_key text        NOT NULL,
    request_sha256  text        NOT NULL,
    wave_id         text        NOT NULL,
    dry_run         boolean     NOT NULL DEFAULT false,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT wave_idempotency_key_pk PRIMARY KEY (idempotency_key)
);
