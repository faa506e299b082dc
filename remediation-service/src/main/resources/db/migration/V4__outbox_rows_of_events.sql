-- One outbox row per transaction that emits events, holding all of them in order. A wave's chunk of 1,000 jobs
-- writes one row for its 1,000 ISSUED events, where it wrote 1,000 rows (each with two index entries), which the
-- relay then read and deleted one by one: about a tenth of PostgreSQL's time during a wave (B3, docs/benchmarks.md).
-- The payloads are text: the relay sends them as they are, and nothing queries inside them (jsonb cost a parse at the
-- insert and a conversion back to text at the relay's read).
ALTER TABLE outbox
    ADD COLUMN events       integer,
    ADD COLUMN message_keys text[],
    ADD COLUMN event_ids    text[],
    ADD COLUMN payloads     text[];
-- Rows that an older version left unrelayed become rows of one event.
UPDATE outbox SET events = 1, message_keys = ARRAY[message_key], event_ids = ARRAY[event_id],
    payloads = ARRAY[payload::text];
ALTER TABLE outbox
    DROP CONSTRAINT outbox_event_id_unique,
    DROP COLUMN message_key,
    DROP COLUMN event_id,
    DROP COLUMN payload,
    ALTER COLUMN events SET NOT NULL,
    ALTER COLUMN message_keys SET NOT NULL,
    ALTER COLUMN event_ids SET NOT NULL,
    ALTER COLUMN payloads SET NOT NULL,
    -- Event i of a row is (message_keys[i], event_ids[i], payloads[i]); events is their number, read without the arrays.
    ADD CONSTRAINT outbox_events_aligned CHECK (events >= 1 AND cardinality(message_keys) = events
        AND cardinality(event_ids) = events AND cardinality(payloads) = events);

-- A chunk's payloads take about 400 KB: lz4 costs less CPU than the default pglz (as V1 and V2).
DO $$
BEGIN
    ALTER TABLE outbox ALTER COLUMN payloads SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'outbox payloads keep the default compression: %', SQLERRM;
END
$$;
