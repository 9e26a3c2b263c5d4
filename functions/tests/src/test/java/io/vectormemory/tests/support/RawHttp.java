package io.vectormemory.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@code java.net.http} refuses to send: unknown methods, raw bytes in
 * the path, malformed or over-long headers, broken framing. One request per connection ({@code Connection: close}
 * is not added: the caller writes exactly the bytes it wants).
 */
public final class RawHttp {
    private static final int MAX_RESPONSE = 4 << 20;

    private RawHttp() {
    }

    /** The answer as read off the wire; {@code status} is -1 when the server closed without answering. */
    public record Answer(int status, Map<String, String> headers, String body, Duration elapsed, String raw) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            String shown = raw.length() > 800 ? raw.substring(0, 800) + "…" : raw;
            return status + " after " + elapsed.toMillis() + " ms: " + shown;
        }
    }

    /** Writes the request bytes, half-closes nothing, and reads one response (or until the server closes). */
    public static Answer exchange(URI base, byte[] request, Duration timeout) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything (e.g. a 413 or 431): read that answer.
            }
            return read(s.getInputStream(), start);
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to " + base + " failed after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms", e);
        }
    }

    public static Answer exchange(URI base, String request, Duration timeout) {
        return exchange(base, request.getBytes(StandardCharsets.UTF_8), timeout);
    }

    private static Answer read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int headerEnd = -1;
        long bodyLength = -1;
        boolean chunked = false;
        try {
            while (buf.size() < MAX_RESPONSE) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                buf.write(chunk, 0, n);
                byte[] all = buf.toByteArray();
                if (headerEnd < 0) {
                    headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (headerEnd >= 0) {
                        String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
                        if (head.startsWith("HTTP/1.1 100")) {
                            // Interim response: drop it and wait for the final one.
                            buf.reset();
                            buf.write(all, headerEnd + 4, all.length - headerEnd - 4);
                            headerEnd = -1;
                            continue;
                        }
                        Map<String, String> h = headers(head);
                        String cl = h.get("content-length");
                        chunked = "chunked".equalsIgnoreCase(h.getOrDefault("transfer-encoding", ""));
                        bodyLength = cl != null ? Long.parseLong(cl.strip()) : -1;
                    }
                }
                if (headerEnd >= 0) {
                    int have = all.length - headerEnd - 4;
                    if (bodyLength >= 0 && have >= bodyLength) {
                        break;
                    }
                    if (chunked && endsWith(all, "0\r\n\r\n")) {
                        break;
                    }
                    if (bodyLength < 0 && !chunked && head(all, headerEnd).matches("(?s)HTTP/1\\.1 (1..|204|304).*")) {
                        break;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            if (buf.size() == 0) {
                throw e;
            }
        } catch (IOException e) {
            // Reset after a complete or partial answer: judge what arrived.
            if (buf.size() == 0) {
                return new Answer(-1, Map.of(), "", Duration.ofNanos(System.nanoTime() - start), "<" + e + ">");
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        byte[] all = buf.toByteArray();
        String raw = new String(all, StandardCharsets.UTF_8);
        if (headerEnd < 0) {
            return new Answer(-1, Map.of(), "", elapsed, raw.isEmpty() ? "<closed without an answer>" : raw);
        }
        String head = head(all, headerEnd);
        int status;
        try {
            status = Integer.parseInt(head.substring(9, 12));
        } catch (RuntimeException e) {
            return new Answer(-1, Map.of(), "", elapsed, raw);
        }
        byte[] body = java.util.Arrays.copyOfRange(all, headerEnd + 4, all.length);
        String text = chunked ? dechunk(body) : new String(body, StandardCharsets.UTF_8);
        return new Answer(status, headers(head), text, elapsed, raw);
    }

    private static String head(byte[] all, int headerEnd) {
        return new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> h = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                h.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return h;
    }

    private static String dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int eol = indexOf(java.util.Arrays.copyOfRange(body, i, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(body, i, eol, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            i += eol + 2;
            if (size == 0) {
                break;
            }
            out.write(body, i, Math.min(size, body.length - i));
            i += size + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean endsWith(byte[] all, String suffix) {
        byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
        if (all.length < s.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (all[all.length - s.length + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
