package io.pgsplit.protocol;

/**
 * Type bytes of typed messages. The same byte means different things per direction ('S' is Sync
 * from a client, ParameterStatus from a server), so names are resolved per direction.
 */
public final class MessageTypes {
    // Frontend (client to server).
    public static final byte QUERY = 'Q';
    public static final byte PARSE = 'P';
    public static final byte BIND = 'B';
    public static final byte DESCRIBE = 'D';
    public static final byte EXECUTE = 'E';
    public static final byte CLOSE = 'C';
    public static final byte SYNC = 'S';
    public static final byte FLUSH = 'H';
    public static final byte TERMINATE = 'X';
    /** CopyData and CopyDone travel in both directions. */
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_FAIL = 'f';
    /** PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse share this byte; context tells them apart. */
    public static final byte PASSWORD = 'p';
    public static final byte FUNCTION_CALL = 'F';

    // Backend (server to client).
    public static final byte AUTHENTICATION = 'R';
    public static final byte BACKEND_KEY_DATA = 'K';
    public static final byte PARAMETER_STATUS = 'S';
    public static final byte READY_FOR_QUERY = 'Z';
    public static final byte ERROR_RESPONSE = 'E';
    public static final byte NOTICE_RESPONSE = 'N';
    public static final byte NOTIFICATION_RESPONSE = 'A';
    public static final byte PARSE_COMPLETE = '1';
    public static final byte BIND_COMPLETE = '2';
    public static final byte CLOSE_COMPLETE = '3';
    public static final byte COMMAND_COMPLETE = 'C';
    public static final byte COPY_IN_RESPONSE = 'G';
    public static final byte COPY_OUT_RESPONSE = 'H';
    public static final byte COPY_BOTH_RESPONSE = 'W';
    public static final byte DATA_ROW = 'D';
    public static final byte ROW_DESCRIPTION = 'T';
    public static final byte NO_DATA = 'n';
    public static final byte EMPTY_QUERY_RESPONSE = 'I';
    public static final byte PARAMETER_DESCRIPTION = 't';
    public static final byte PORTAL_SUSPENDED = 's';
    public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    public static final byte FUNCTION_CALL_RESPONSE = 'V';

    private MessageTypes() {
    }

    /** Documentation name of a client message type, for logs and hex-dump diffs. */
    public static String frontendName(byte t) {
        return switch (t) {
            case QUERY -> "Query";
            case PARSE -> "Parse";
            case BIND -> "Bind";
            case DESCRIBE -> "Describe";
            case EXECUTE -> "Execute";
            case CLOSE -> "Close";
            case SYNC -> "Sync";
            case FLUSH -> "Flush";
            case TERMINATE -> "Terminate";
            case COPY_DATA -> "CopyData";
            case COPY_DONE -> "CopyDone";
            case COPY_FAIL -> "CopyFail";
            case PASSWORD -> "PasswordMessage";
            case FUNCTION_CALL -> "FunctionCall";
            default -> unknown(t);
        };
    }

    /** Documentation name of a server message type, for logs and hex-dump diffs. */
    public static String backendName(byte t) {
        return switch (t) {
            case AUTHENTICATION -> "Authentication";
            case BACKEND_KEY_DATA -> "BackendKeyData";
            case PARAMETER_STATUS -> "ParameterStatus";
            case READY_FOR_QUERY -> "ReadyForQuery";
            case ERROR_RESPONSE -> "ErrorResponse";
            case NOTICE_RESPONSE -> "NoticeResponse";
            case NOTIFICATION_RESPONSE -> "NotificationResponse";
            case PARSE_COMPLETE -> "ParseComplete";
            case BIND_COMPLETE -> "BindComplete";
            case CLOSE_COMPLETE -> "CloseComplete";
            case COMMAND_COMPLETE -> "CommandComplete";
            case COPY_IN_RESPONSE -> "CopyInResponse";
            case COPY_OUT_RESPONSE -> "CopyOutResponse";
            case COPY_BOTH_RESPONSE -> "CopyBothResponse";
            case COPY_DATA -> "CopyData";
            case COPY_DONE -> "CopyDone";
            case DATA_ROW -> "DataRow";
            case ROW_DESCRIPTION -> "RowDescription";
            case NO_DATA -> "NoData";
            case EMPTY_QUERY_RESPONSE -> "EmptyQueryResponse";
            case PARAMETER_DESCRIPTION -> "ParameterDescription";
            case PORTAL_SUSPENDED -> "PortalSuspended";
            case NEGOTIATE_PROTOCOL_VERSION -> "NegotiateProtocolVersion";
            case FUNCTION_CALL_RESPONSE -> "FunctionCallResponse";
            default -> unknown(t);
        };
    }

    private static String unknown(byte t) {
        return t >= 0x20 && t < 0x7f ? "Unknown('" + (char) t + "')" : String.format("Unknown(0x%02x)", t & 0xff);
    }
}
