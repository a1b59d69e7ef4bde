package io.nuthatch.server.config;

import io.nuthatch.server.log.ServerLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code requirepass-file <path>}: the default user's password read from a file, as a Kubernetes
 * Secret mounts it, so that the password is in no config file, no command line and no environment.
 * Not a Redis directive: Redis needs the password pasted into redis.conf (the seed chart's init
 * container did that), which puts the secret on the data volume.
 *
 * <p>The file is read when the configuration is loaded (an unreadable or empty file stops the
 * startup with the path and the reason), on CONFIG SET requirepass-file, and on SIGHUP, which is
 * what a rotated Secret needs: the kubelet swaps the mounted file, a {@code kill -HUP} (or a
 * restart) makes the server read it again, and a reload that fails keeps the old password.
 *
 * <p>One trailing newline ({@code \n} or {@code \r\n}) is dropped, since {@code echo} and editors
 * add it and {@code kubectl create secret --from-file} keeps it; anything else is the password, byte
 * for byte (one char per byte, as requirepass holds it). When both requirepass and
 * requirepass-file are set, the one applied last wins: the file at startup.
 */
public final class RequirepassFile {
    private final StringDirective directive;
    private final Consumer<String> defaultUserPassword;
    private final ServerLog log;

    /** Applies the file now (when the directive is set) and again each time the directive changes. */
    public RequirepassFile(StringDirective directive, Consumer<String> defaultUserPassword, ServerLog log) {
        this.directive = directive;
        this.defaultUserPassword = defaultUserPassword;
        this.log = log;
        directive.onChange(this::reloadQuietly);
        reloadQuietly();
    }

    /** Why {@code path} cannot be the password file, or null: the directive's validator. */
    static String problem(String path) {
        if (path.isEmpty()) {
            return null;
        }
        try {
            read(path);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    /**
     * Reads the file again (SIGHUP): returns whether the password was taken. A file that cannot be
     * read now leaves the password as it was, with a warning.
     */
    public boolean reload() {
        String path = directive.value();
        if (path.isEmpty()) {
            return false;
        }
        try {
            String password = read(path);
            defaultUserPassword.accept(password);
            log.notice("Default user's password read from " + path + " (" + password.length() + " bytes)");
            return true;
        } catch (ConfigException e) {
            log.warning("requirepass-file not reloaded, the password stays as it was: " + e.getMessage());
            return false;
        }
    }

    private void reloadQuietly() {
        reload();
    }

    private static String read(String path) throws ConfigException {
        Path file = Path.of(ServerConfig.nativePath(path));
        if (!file.isAbsolute()) {
            throw new ConfigException("requirepass-file must be an absolute path: " + path);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("Can't read requirepass-file " + path + ": " + SystemErrors.describe(e));
        }
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            // An empty Secret would otherwise open the server to everyone without a word.
            throw new ConfigException("requirepass-file " + path + " is empty: it must hold the password");
        }
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }
}
