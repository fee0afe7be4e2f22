package io.pgsplit.it.session;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that writes protocol messages itself, for what drivers never send (a Bind of a name it did not
 * parse); it logs in with a cleartext password ({@code auth_type: plain}).
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private int processId;

  /** One server message: its type and body. */
  record Message(char type, byte[] body) {
    /** A field of an ErrorResponse, such as 'C' for the SQLSTATE. */
    String field(char code) {
      int i = 0;
      while (i < body.length && body[i] != 0) {
        int end = i + 1;
        while (body[end] != 0) {
          end++;
        }
        if (body[i] == code) {
          return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
        }
        i = end + 1;
      }
      return null;
    }

    /** The first column of a DataRow, as text. */
    String firstColumn() {
      ByteBuffer buf = ByteBuffer.wrap(body);
      buf.getShort();
      int length = buf.getInt();
      return new String(body, 6, length, StandardCharsets.UTF_8);
    }
  }

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  static RawClient login(InetSocketAddress address, String user, String password) throws IOException {
    RawClient client = new RawClient(new Socket(address.getAddress(), address.getPort()));
    byte[] parameters = concat(cString("user"), cString(user), cString("database"), cString(SessionCluster.DATABASE),
        new byte[] {0});
    client.out.writeInt(parameters.length + 8);
    client.out.writeInt(3 << 16);
    client.out.write(parameters);
    client.out.flush();
    client.read(); // AuthenticationCleartextPassword
    client.send(message('p', cString(password)));
    for (Message message : client.untilReadyForQuery()) {
      if (message.type() == 'K') {
        client.processId = ByteBuffer.wrap(message.body()).getInt();
      }
    }
    return client;
  }

  int processId() {
    return processId;
  }

  void send(byte[]... messages) throws IOException {
    for (byte[] message : messages) {
      out.write(message);
    }
    out.flush();
  }

  List<Message> untilReadyForQuery() throws IOException {
    List<Message> messages = new ArrayList<>();
    Message message;
    do {
      message = read();
      messages.add(message);
    } while (message.type() != 'Z');
    return messages;
  }

  private Message read() throws IOException {
    char type = (char) in.readUnsignedByte();
    byte[] body = new byte[in.readInt() - 4];
    in.readFully(body);
    return new Message(type, body);
  }

  static byte[] query(String sql) {
    return message('Q', cString(sql));
  }

  static byte[] parse(String name, String sql) {
    return message('P', concat(cString(name), cString(sql), new byte[] {0, 0}));
  }

  /** A Bind of the unnamed portal without parameters, results in text. */
  static byte[] bind(String statement) {
    return message('B', concat(cString(""), cString(statement), new byte[] {0, 0, 0, 0, 0, 0}));
  }

  static byte[] execute() {
    return message('E', concat(cString(""), new byte[] {0, 0, 0, 0}));
  }

  static byte[] sync() {
    return message('S', new byte[0]);
  }

  private static byte[] message(char type, byte[] body) {
    ByteBuffer buf = ByteBuffer.allocate(body.length + 5);
    buf.put((byte) type).putInt(body.length + 4).put(body);
    return buf.array();
  }

  private static byte[] cString(String text) {
    return concat(text.getBytes(StandardCharsets.UTF_8), new byte[] {0});
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(part);
    }
    return joined.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
