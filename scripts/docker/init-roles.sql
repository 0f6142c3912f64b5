-- Run once by the postgres:15 image when its volume is new (docker-entrypoint-initdb.d), as the
-- superuser, in the database named by POSTGRES_DB. Mirrors what scripts/postgres-cluster.sh sets up:
-- hotdesk_owner owns the schema and runs migrations; hotdesk_app (in hotdesk_portal) serves.
-- The passwords come from the compose file's environment through psql variables set by init-roles.sh.
CREATE ROLE hotdesk_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE hotdesk_portal NOLOGIN;
CREATE ROLE hotdesk_app LOGIN PASSWORD :'app_password' IN ROLE hotdesk_portal;
CREATE ROLE hotdesk_registrar NOLOGIN;
-- The registrar's login, set up as `hotdesk registrar-role --name kamailio` would.
CREATE ROLE kamailio LOGIN PASSWORD :'registrar_password' CONNECTION LIMIT 20 IN ROLE hotdesk_registrar;
ALTER ROLE kamailio SET search_path = registrar_state, registrar;
ALTER ROLE kamailio SET statement_timeout = '2000ms';
ALTER DATABASE hotdesk OWNER TO hotdesk_owner;
