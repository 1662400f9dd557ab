package dev.headroom.load;

import java.net.URI;
import java.util.Locale;

/**
 * Where a server listens: host, port, TLS, and the base path that API paths are appended to.
 *
 * @param basePath the URL's path without a trailing slash ({@code ""} for the root)
 */
public record Endpoint(String host, int port, boolean tls, String basePath) {

    /** Parses a base URL such as {@code http://127.0.0.1:8000} or {@code https://host/prefix}. */
    public static Endpoint parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + url + "' is not a URL; use e.g. http://127.0.0.1:8000");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--url '" + url + "' must be an http:// or https:// URL, e.g. http://127.0.0.1:8000");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        // "http://host:8000/v1" is a common way to write a base URL: API paths already start with /v1.
        if (path.endsWith("/v1")) path = path.substring(0, path.length() - 3);
        return new Endpoint(uri.getHost(), port, tls, path);
    }

    /** The value of the {@code Host} header. */
    public String hostHeader() {
        boolean defaultPort = port == (tls ? 443 : 80);
        return defaultPort ? host : host + ":" + port;
    }

    /** The base URL as users write it. */
    public String url() {
        return (tls ? "https://" : "http://") + hostHeader() + basePath;
    }
}
