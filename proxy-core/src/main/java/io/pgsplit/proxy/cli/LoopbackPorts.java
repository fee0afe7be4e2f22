package io.pgsplit.proxy.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether the demo's ports on 127.0.0.1 are free, asked by binding them for a moment. */
final class LoopbackPorts {
    private static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * The one-line complaint about the first of the ports that is taken, naming the address and the option that
     * moves it; null when both are free. Another process may still take one before the demo binds it.
     */
    static String firstTaken(int port, String portOption, int otherPort, String otherOption) {
        if (!isFree(port)) {
            return inUse(port, portOption);
        }
        return isFree(otherPort) ? null : inUse(otherPort, otherOption);
    }

    private static String inUse(int port, String option) {
        return HOST + ":" + port + " is already in use; choose another port with " + option + " (e.g. " + option
                + " " + (port + 1) + ")";
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the proxy binds: a port left in TIME_WAIT is free
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
