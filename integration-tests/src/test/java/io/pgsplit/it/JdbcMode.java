package io.pgsplit.it;

import java.util.List;

/** The ways pgjdbc talks to a server, each exercising a different mix of protocol messages. */
enum JdbcMode {
  /** Extended protocol; unnamed statements until a PreparedStatement's fifth execution, named ones after. */
  EXTENDED_DEFAULT(List.of()),
  /** Extended protocol with a named server-side statement from the first execution. */
  PREPARE_THRESHOLD_1(List.of("prepareThreshold=1")),
  /** Simple Query messages only, parameters inlined by the driver. */
  SIMPLE(List.of("preferQueryMode=simple"));

  private final List<String> parameters;

  JdbcMode(List<String> parameters) {
    this.parameters = parameters;
  }

  List<String> parameters() {
    return parameters;
  }
}
