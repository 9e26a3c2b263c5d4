package io.vectormemory.http;

import io.helidon.webserver.ServerConnectionException;

import java.net.SocketTimeoutException;

/**
 * A connection sent nothing for {@code HTTP_READ_TIMEOUT_MS} while its request was being read: the server has
 * answered 408 on it and closed it. Thrown to the thread that was reading; like every
 * {@link ServerConnectionException} it passes the error handlers and ends the connection.
 */
public final class RequestTimeoutException extends ServerConnectionException {
    public RequestTimeoutException(long timeoutMillis) {
        super("Request read timed out", new SocketTimeoutException("no data for " + timeoutMillis + " ms"));
    }
}
