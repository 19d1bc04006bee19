package dev.flywheel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A blocking JSON POST to a local server for the CLI tests, on a plain socket with connect and read
 * timeouts. Not the JDK {@code HttpClient}: here it once waited for an answer far past its own
 * request timeout (MonitorCommandTest, with no request in flight on the server), while a socket
 * read timeout always fires.
 */
final class TestHttp {

  /** A response: its status and its body as text. */
  record Response(int statusCode, String body) {}

  private TestHttp() {}

  static Response post(int port, String path, String body) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    try {
      c.setConnectTimeout(10_000);
      c.setReadTimeout(30_000);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("content-type", "application/json");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, text);
    } finally {
      c.disconnect();
    }
  }
}
