package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the SQLSTATE a client sees, the contract between a proxy and its clients' error handling. */
final class SqlAssertions {
  private SqlAssertions() {}

  /** Runs {@code call}, asserts it failed with an SQLException carrying {@code sqlState}, and returns it. */
  static SQLException assertFailsWithSqlState(String sqlState, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected SQLSTATE %s", sqlState).isInstanceOf(SQLException.class);
    SQLException exception = (SQLException) thrown;
    assertThat(exception.getSQLState()).as("SQLSTATE of: %s (cause: %s)", exception.getMessage(), exception.getCause())
        .isEqualTo(sqlState);
    return exception;
  }
}
