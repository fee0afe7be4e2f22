-- The demo's login role and database, made once: `up` may run this again on a primary that has them. The password
-- comes from APP_PASSWORD in psql's environment, never from a command line, and is set again on every run, so that
-- a new deploy/docker/.env takes effect. Without APP_PASSWORD, :'app_password' stays as written: a syntax error.
\getenv app_password APP_PASSWORD
SELECT 'CREATE ROLE app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') \gexec
ALTER ROLE app LOGIN PASSWORD :'app_password';
SELECT 'CREATE DATABASE app OWNER app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app') \gexec
