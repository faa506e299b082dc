-- The audit trail (issue 18): every operator action of every service, as AuditEvent (contracts) has it. This service
-- writes its own rows in the transaction of the action (or, for a refusal, in one of their own) and stores the
-- other services' events from tlsrollout.audit.v1; its own events coming back from the topic conflict on event_id
-- and change nothing. Read by GET /api/v1/audit, newest first.
CREATE TABLE audit (
    event_id text        NOT NULL PRIMARY KEY,
    at       timestamptz NOT NULL,
    actor    text        NOT NULL,
    service  text        NOT NULL,
    action   text        NOT NULL,
    target   text        NOT NULL,
    outcome  text        NOT NULL CHECK (outcome IN ('DONE', 'REFUSED')),
    status   integer     NOT NULL,
    detail   text
);
CREATE INDEX audit_at ON audit (at DESC, event_id);
