package io.nuthatch.server.client;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected clients, in the order they connected (which is their id order, as CLIENT LIST
 * shows them). Connections come and go on the network threads while commands read the registry,
 * so it is a concurrent map.
 *
 * <p>The counts INFO prints (connected, blocked, blocked with a timeout) are kept as clients come,
 * go, park and wake, so reading them costs nothing however many clients there are: the skip list's
 * own size() walks every entry, which a scrape with 10k clients would pay on each read.
 */
public final class ClientRegistry {
    private final AtomicLong lastId = new AtomicLong();
    private final ConcurrentSkipListMap<Long, ClientSession> clients = new ConcurrentSkipListMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger blocked = new AtomicInteger();
    private final AtomicInteger blockedWithTimeout = new AtomicInteger();
    /**
     * The sum of each client's buffers as the cron's walk last counted them: a client's share goes
     * with it when it is removed. Written under the engine (the walk, and every removal); atomic
     * so that a read from any thread sees a whole value.
     */
    private final AtomicLong accountedBufferBytes = new AtomicLong();

    /** The id the next client gets; ids are never reused. */
    public long nextId() {
        return lastId.incrementAndGet();
    }

    public void add(ClientSession client) {
        if (clients.put(client.id(), client) == null) {
            count.incrementAndGet();
        }
    }

    /** Forgets a client. Under the engine lock. */
    public void remove(ClientSession client) {
        if (clients.remove(client.id()) != null) {
            count.decrementAndGet();
            accountedBufferBytes.addAndGet(-client.accountedBufferBytes);
            client.accountedBufferBytes = 0;
        }
    }

    public int count() {
        return count.get();
    }

    public ClientSession find(long id) {
        return clients.get(id);
    }

    public Collection<ClientSession> all() {
        return Collections.unmodifiableCollection(clients.values());
    }

    /** The clients connected after the client with id {@code id} (in id order), for walks in steps. */
    public Collection<ClientSession> after(long id) {
        return Collections.unmodifiableCollection(clients.tailMap(id, false).values());
    }

    /**
     * Counts a client's buffers at {@code bytes} in {@link #accountedBufferBytes()}, in place of what
     * was counted for it before. Under the engine lock, as removals are, so a client the walk
     * visits is still here and its share goes when it is removed.
     */
    public void accountBuffers(ClientSession client, long bytes) {
        accountedBufferBytes.addAndGet(bytes - client.accountedBufferBytes);
        client.accountedBufferBytes = bytes;
    }

    /** The clients' buffers as the walk last counted each of them. */
    public long accountedBufferBytes() {
        return accountedBufferBytes.get();
    }

    /** A client was parked by a blocking command (INFO's blocked_clients, clients_in_timeout_table). */
    void parked(boolean timed) {
        blocked.incrementAndGet();
        if (timed) {
            blockedWithTimeout.incrementAndGet();
        }
    }

    /** A parked client's wait ended and it is no longer marked blocked. */
    void unparked(boolean timed) {
        blocked.decrementAndGet();
        if (timed) {
            blockedWithTimeout.decrementAndGet();
        }
    }

    /** INFO's blocked_clients: clients parked by a blocking command now. */
    public int blockedCount() {
        return blocked.get();
    }

    /** INFO's clients_in_timeout_table: parked clients whose wait has a timeout. */
    public int blockedWithTimeoutCount() {
        return blockedWithTimeout.get();
    }
}
