package io.nuthatch.server.testing;

import io.nuthatch.server.NuthatchServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * One embedded Nuthatch for a test class, configured like the reference redis-server
 * ({@link ReferencePair#startNuthatch}), started before its tests and closed after them:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();
 * }</pre>
 */
public final class EmbeddedNuthatch implements BeforeAllCallback, AfterAllCallback {
    private final String[] directives;
    private NuthatchServer server;

    /** @param directives directive names and values, in pairs */
    public EmbeddedNuthatch(String... directives) {
        this.directives = directives.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = ReferencePair.startNuthatch(directives);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public NuthatchServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** A new connection to the server. */
    public RawConnection connect() throws IOException {
        return new RawConnection(server.port());
    }

    /** Runs {@code action} holding the engine, as commands run: to read or start what they change. */
    public <T> T underLock(Supplier<T> action) {
        server.engine().lock().lock();
        try {
            return action.get();
        } finally {
            server.engine().lock().unlock();
        }
    }
}
