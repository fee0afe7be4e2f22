-- The demo's login role and database, made once: `up` may run this again on a primary that has them.
SELECT 'CREATE ROLE app LOGIN PASSWORD ''app''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') \gexec
SELECT 'CREATE DATABASE app OWNER app' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app') \gexec
