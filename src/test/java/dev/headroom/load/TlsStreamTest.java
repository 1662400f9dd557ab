package dev.headroom.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the same selector as plain HTTP, against a loopback server with a self-signed certificate made here. */
class TlsStreamTest {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    @BeforeAll
    static void selfSignedCertificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keys, PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(km.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tm.getTrustManagers(), null);
    }

    private static RawServer server(RawServer.Handler handler) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new RawServer(listener, true, handler);
    }

    @Test
    void httpsStreamsReuseOneConnectionAndTimeTheHandshakeApartFromTtft() throws Exception {
        byte[] response = RawServer.sseResponse(8);
        try (RawServer server = server((request, out) -> {
            out.write(response);
            out.flush();
            return true;
        });
             StreamingClient client = KeepAliveClient.of(server.endpoint(), clientTls, 1)) {
            for (int i = 0; i < 20; i++) {
                StreamResult r = client.stream("/v1/completions", RawServer.body(), "s-" + i, Duration.ofSeconds(20), 9, false);
                assertThat(r.error()).isNull();
                assertThat(r.chunkNanos()).hasSize(8).isSorted();
                assertThat(r.completionTokens()).isEqualTo(8);
                assertThat(r.chunkNanos()[0]).isGreaterThan(r.sentNanos());
                if (i == 0) {
                    assertThat(r.connection().connectNanos()).isNotNegative();
                    assertThat(r.connection().tlsHandshakeNanos()).isPositive();
                } else {
                    assertThat(r.connection().openedConnection()).isFalse();
                    assertThat(r.connection().tlsHandshakeNanos()).isEqualTo(-1);
                }
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(client.send("GET", "/v1/models", null, Duration.ofSeconds(5)).status()).isEqualTo(200);
        }
    }

    @Test
    void anUntrustedCertificateIsAConnectFailureNamingTheHandshake() throws Exception {
        try (RawServer server = server((request, out) -> false);
             StreamingClient client = new StreamingClient(server.endpoint(), Map.of(), Duration.ofSeconds(5))) {
            StreamResult r = client.stream("/v1/completions", RawServer.body(), "u", Duration.ofSeconds(20), 4, false);
            assertThat(r.error().kind()).isEqualTo(dev.headroom.metrics.RequestError.Kind.CONNECT);
            assertThat(r.error().message()).contains("TLS handshake");
        }
    }
}
