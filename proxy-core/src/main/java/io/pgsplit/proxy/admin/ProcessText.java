package io.pgsplit.proxy.admin;

import io.pgsplit.proxy.frontdoor.FrontDoorStatus;

/** The status page's lines about the process and the front door; its script renders the same text (status.html). */
final class ProcessText {
    private ProcessText() {
    }

    static String of(ProcessStatus process) {
        if (process.version() == null) {
            return "";
        }
        ProcessStatus.Reload reload = process.lastReload();
        String reloadText = reload == null ? "none" : reload.result() + " at " + reload.at() + " (" + reload.detail() + ")";
        return "pgsplit " + process.version() + " \u00b7 up " + duration(process.uptimeSeconds()) + " (since "
                + process.startedAt() + ") \u00b7 config: " + (process.configPath() == null ? "none" : process.configPath())
                + " \u00b7 last reload: " + reloadText;
    }

    static String frontDoor(FrontDoorStatus door) {
        if (door.maxClientConnections() == 0) {
            return "";
        }
        return "clients: " + door.clients() + " of " + door.maxClientConnections() + " (" + door.reservedConnections()
                + " reserved for admins) \u00b7 pending logins: " + door.pendingLogins() + " of " + door.maxPendingLogins();
    }

    /** As the script's duration(): {@code 1h 2m 3s}, {@code 4m 0s}, {@code 5s}. */
    static String duration(long seconds) {
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        return (hours > 0 ? hours + "h " : "") + (hours > 0 || minutes > 0 ? minutes + "m " : "") + seconds % 60 + "s";
    }
}
