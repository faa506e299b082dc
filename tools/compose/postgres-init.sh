#!/usr/bin/env bash
# PostgreSQL's first start in docker-compose.yml (/docker-entrypoint-initdb.d): the role the services connect as,
# tlsrollout, with LOGIN and nothing more (not a superuser, no CREATEDB, no CREATEROLE), and the database tlsrollout
# that it owns, so that its migrations (Flyway, remediation-service) create and own their tables. Its password is
# TLSROLLOUT_DB_PASSWORD from .env; the superuser (postgres, POSTGRES_PASSWORD) is for administration only.
set -euo pipefail
: "${TLSROLLOUT_DB_PASSWORD:?set TLSROLLOUT_DB_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  --set=password="$TLSROLLOUT_DB_PASSWORD" <<'SQL'
CREATE ROLE tlsrollout LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE tlsrollout OWNER tlsrollout;
SQL
