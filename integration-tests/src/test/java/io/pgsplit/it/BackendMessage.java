package io.pgsplit.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One message as a raw socket client received it: the type byte and the body after the length. */
record BackendMessage(char type, byte[] body) {

  /** A field of an ErrorResponse or NoticeResponse, such as 'C' (SQLSTATE), 'S' (severity) or 'M'; null if absent. */
  String field(char code) {
    requireType('E', 'N');
    int index = 0;
    while (index < body.length && body[index] != 0) {
      char fieldCode = (char) body[index];
      int end = index + 1;
      while (body[end] != 0) {
        end++;
      }
      if (fieldCode == code) {
        return new String(body, index + 1, end - index - 1, StandardCharsets.UTF_8);
      }
      index = end + 1;
    }
    return null;
  }

  String sqlState() {
    return field('C');
  }

  /** The request code of an Authentication message: 0 ok, 3 cleartext, 5 MD5, 10 SASL. */
  int authenticationCode() {
    requireType('R');
    return ByteBuffer.wrap(body).getInt();
  }

  /** The newest minor protocol version a NegotiateProtocolVersion message offers. */
  int negotiatedMinorVersion() {
    requireType('v');
    return ByteBuffer.wrap(body).getInt();
  }

  /** The first column of a DataRow as text; null for SQL NULL. */
  String firstColumn() {
    requireType('D');
    ByteBuffer row = ByteBuffer.wrap(body);
    if (row.getShort() < 1) {
      throw new AssertionError("DataRow without columns");
    }
    int length = row.getInt();
    return length < 0 ? null : new String(body, row.position(), length, StandardCharsets.UTF_8);
  }

  private void requireType(char... expected) {
    for (char candidate : expected) {
      if (type == candidate) {
        return;
      }
    }
    throw new AssertionError("Expected message type " + new String(expected) + " but got " + this);
  }

  @Override
  public String toString() {
    String text = type == 'E' || type == 'N'
        ? new String(body, StandardCharsets.UTF_8).replace('\0', '|')
        : body.length + " bytes";
    return "'" + type + "' " + text;
  }
}
