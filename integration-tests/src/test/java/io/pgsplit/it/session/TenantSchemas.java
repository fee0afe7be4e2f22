package io.pgsplit.it.session;

/** Two schemas with a table of the same name and different rows, so a read shows which search_path it ran with. */
final class TenantSchemas {
  static final String TENANT_A_ITEMS = "apple,apricot";
  static final String TENANT_B_ITEMS = "banana";
  /** Run on the primary; drops what an earlier class created. */
  static final String[] CREATE = {
      "DROP SCHEMA IF EXISTS tenant_a, tenant_b CASCADE",
      "CREATE SCHEMA tenant_a",
      "CREATE SCHEMA tenant_b",
      "CREATE TABLE tenant_a.items (name text NOT NULL)",
      "CREATE TABLE tenant_b.items (name text NOT NULL)",
      "INSERT INTO tenant_a.items VALUES ('apple'), ('apricot')",
      "INSERT INTO tenant_b.items VALUES ('banana')"};

  private TenantSchemas() {}
}
