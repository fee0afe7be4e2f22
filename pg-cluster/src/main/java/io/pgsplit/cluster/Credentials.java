package io.pgsplit.cluster;

/** A PostgreSQL role name and its password. */
record Credentials(String user, String password) {}
