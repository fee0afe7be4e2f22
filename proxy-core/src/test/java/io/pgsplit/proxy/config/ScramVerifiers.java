package io.pgsplit.proxy.config;

/** A well-formed verifier as stored by PostgreSQL in pg_authid.rolpassword. */
final class ScramVerifiers {
    static final String EXAMPLE = "SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0$"
            + "zjONtIm2LjISqkBMEkOH0hNO91W5EdhKx2rjsvrujrc=:0SofYw4mA6UWT0RRKs3B6FeZQ01ymuWGFnCEL3TbZ1I=";

    private ScramVerifiers() {
    }
}
