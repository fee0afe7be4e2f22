package io.pgsplit.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL client on a bare socket, for sending what no driver would: broken lengths, unknown message types,
 * unsupported protocol versions. Every read has a deadline, so a proxy that neither answers nor closes fails the test.
 */
final class WireClient implements AutoCloseable {
  static final int PROTOCOL_3_0 = 3 << 16;
  private static final int SSL_REQUEST_CODE = 80877103;
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static WireClient connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, READ_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      return new WireClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A StartupMessage for protocol {@code major.minor} with {@code user} and {@code database}. */
  void sendStartup(int major, int minor, String user, String database) throws IOException {
    ByteArrayOutputStream parameters = new ByteArrayOutputStream();
    for (Map.Entry<String, String> parameter : Map.of("user", user, "database", database).entrySet()) {
      parameters.writeBytes(cString(parameter.getKey()));
      parameters.writeBytes(cString(parameter.getValue()));
    }
    parameters.write(0);
    send(ByteBuffer.allocate(8 + parameters.size()).putInt(8 + parameters.size()).putInt(major << 16 | minor)
        .put(parameters.toByteArray()).array());
  }

  void sendSslRequest() throws IOException {
    send(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array());
  }

  /** A well-framed typed message. */
  void sendMessage(char type, byte[] body) throws IOException {
    send(message(type, body));
  }

  /** The bytes of a well-framed typed message, for sending several in one write. */
  static byte[] message(char type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
  }

  /** Only a type byte and a length field, which may lie about what follows. */
  void sendHeader(char type, int length) throws IOException {
    send(ByteBuffer.allocate(5).put((byte) type).putInt(length).array());
  }

  void sendQuery(String sql) throws IOException {
    sendMessage('Q', cString(sql));
  }

  /** Protocol 3.0 startup answered by cleartext password authentication, up to the first ReadyForQuery. */
  /** A client connected to {@code address} and logged in with a cleartext password; closed again if that fails. */
  static WireClient loggedIn(InetSocketAddress address, String user, String password) throws IOException {
    WireClient client = connect(address);
    try {
      client.loginWithCleartextPassword(user, password);
      return client;
    } catch (IOException | RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
  }

  /** The next message is a FATAL ErrorResponse with {@code sqlState}, and the peer closes after it. */
  void assertFatalThenClosed(String sqlState) throws IOException {
    BackendMessage error = readMessage();
    if (error.type() != 'E' || !sqlState.equals(error.sqlState()) || !"FATAL".equals(error.field('S'))) {
      throw new AssertionError("expected FATAL " + sqlState + ", got " + error);
    }
    if (!isClosedByPeer()) {
      throw new AssertionError("connection still open after " + error);
    }
  }

  void loginWithCleartextPassword(String user, String password) throws IOException {
    sendStartup(3, 0, user, ProxiedCluster.DATABASE);
    answerCleartextPasswordRequest(readMessage(), password);
  }

  /** Answers an AuthenticationCleartextPassword request and reads up to the ReadyForQuery that must follow. */
  void answerCleartextPasswordRequest(BackendMessage request, String password) throws IOException {
    if (request.type() != 'R' || request.authenticationCode() != 3) {
      throw new AssertionError("Expected a cleartext password request, got " + request);
    }
    sendMessage('p', cString(password));
    readUntilReadyForQuery();
  }

  /** Every message up to and including ReadyForQuery; an ErrorResponse on the way fails the test. */
  List<BackendMessage> readUntilReadyForQuery() throws IOException {
    List<BackendMessage> messages = new ArrayList<>();
    BackendMessage message;
    do {
      message = readMessage();
      if (message.type() == 'E') {
        throw new AssertionError("Unexpected error from the proxy: " + message);
      }
      messages.add(message);
    } while (message.type() != 'Z');
    return messages;
  }

  BackendMessage readMessage() throws IOException {
    char type = (char) in.readUnsignedByte();
    int length = in.readInt();
    if (length < 4) {
      throw new AssertionError("Server sent message '" + type + "' with invalid length " + length);
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new BackendMessage(type, body);
  }

  /** One untyped byte, as the answer to SSLRequest. */
  int readByte() throws IOException {
    return in.readUnsignedByte();
  }

  /** Whether the peer closed the connection: end of stream or a reset within the read deadline. */
  boolean isClosedByPeer() {
    try {
      return in.read() == -1;
    } catch (EOFException | SocketException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Neither data nor end of stream within " + READ_TIMEOUT_MILLIS + " ms", e);
    }
  }

  static byte[] cString(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) 0).array();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
