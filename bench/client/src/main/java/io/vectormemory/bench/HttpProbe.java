package io.vectormemory.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on a plain socket for the cold-start probe: no client-side warm-up, pool or
 * thread of its own that could skew a millisecond measurement. One request per connection.
 */
final class HttpProbe {
    /** What a probe saw: a status, or -1 when nothing listened yet. */
    record Answer(int status, String body) {
    }

    private HttpProbe() {
    }

    static Answer send(int port, String method, String path, byte[] body, String apiKey) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            if (socket.getLocalPort() == port) {
                return new Answer(-1, "self-connected: nothing listens yet"); // TCP simultaneous open on loopback
            }
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: close\r\n");
            if (apiKey != null && !apiKey.isEmpty()) {
                head.append("X-API-Key: ").append(apiKey).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    /** Reads one response: the head, then a Content-Length or chunked body (servers may keep the connection). */
    private static Answer read(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        String statusLine = line(in);
        int status;
        try {
            status = Integer.parseInt(statusLine.split(" ")[1]);
        } catch (RuntimeException e) {
            return new Answer(-2, statusLine);
        }
        long length = -1;
        boolean chunked = false;
        String header;
        while (!(header = line(in)).isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            long size;
            while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
                body.write(in.readNBytes((int) size));
                line(in);
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            in.transferTo(body);
        }
        return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0 && b.isEmpty()) {
            throw new IOException("connection closed before a response");
        }
        return b.toString();
    }
}
