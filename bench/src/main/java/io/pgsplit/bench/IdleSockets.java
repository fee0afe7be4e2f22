package io.pgsplit.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Many idle clients, cheaply: each is a bare socket that logs in with the protocol's md5 exchange (or
 * cleartext), waits for ReadyForQuery, and then sends nothing, until stdin closes. A driver per client
 * would cost the bench more memory than the proxy it measures.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.pgsplit.bench.IdleSockets HOST PORT USER PASSWORD DATABASE N</pre>
 */
public final class IdleSockets {
    private IdleSockets() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        String user = args[2];
        String password = args[3];
        String database = args[4];
        int count = Integer.parseInt(args[5]);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(login(address, user, password, database));
            }
            System.out.println("OPEN " + sockets.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the connections until the caller closes stdin
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Socket login(InetSocketAddress address, String user, String password, String database)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 30_000);
        socket.setSoTimeout(60_000);
        socket.setTcpNoDelay(true);
        // Buffered, one send per message: unbuffered, each writeInt is its own segment, and Nagle holds the next one
        // back until the proxy's delayed ACK (40 ms): ten thousand logins took minutes.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] parameters = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + parameters.length);
        out.writeInt(3 << 16);
        out.write(parameters);
        out.flush();
        while (true) {
            int type = in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'R') {
                answer(out, body, user, password);
            } else if (type == 'E') {
                throw new IOException("login refused: " + new String(body, StandardCharsets.UTF_8));
            } else if (type == 'Z') {
                return socket;
            }
        }
    }

    private static void answer(DataOutputStream out, byte[] request, String user, String password) throws IOException {
        int code = (request[0] & 0xFF) << 24 | (request[1] & 0xFF) << 16 | (request[2] & 0xFF) << 8 | request[3] & 0xFF;
        String response;
        if (code == 0) {
            return;
        } else if (code == 3) {
            response = password;
        } else if (code == 5) {
            byte[] salt = {request[4], request[5], request[6], request[7]};
            response = "md5" + md5Hex(md5Hex(password + user).getBytes(StandardCharsets.UTF_8), salt);
        } else {
            throw new IOException("authentication code " + code + " not supported: use auth_type md5 or plain");
        }
        byte[] bytes = (response + "\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static String md5Hex(String text) {
        return md5Hex(text.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static String md5Hex(byte[] first, byte[] second) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(first);
            md5.update(second);
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
