-- Trust on first use (api.md, Authentication): the first enrollment of a machine id binds it to its public key.
CREATE TABLE agent_identity (
    machine_id       varchar(128) PRIMARY KEY,
    public_jwk       text         NOT NULL,  -- the public JWK as received (kty, crv, x, y)
    thumbprint       varchar(64)  NOT NULL,  -- RFC 7638 SHA-256 thumbprint, base64url: what later enrollments must match
    site_code        varchar(3)   NOT NULL,  -- the site of the last accepted enrollment (machines move)
    bound_at         timestamptz  NOT NULL,
    last_enrolled_at timestamptz  NOT NULL,
    last_proof_iat   bigint       NOT NULL   -- a later proof must be newer: a captured proof cannot be replayed
);
