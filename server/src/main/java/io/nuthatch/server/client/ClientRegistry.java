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

    /** The id the next client gets; ids are never reused. */
    public long nextId() {
        return lastId.incrementAndGet();
    }

    public void add(ClientSession client) {
        if (clients.put(client.id(), client) == null) {
            count.incrementAndGet();
        }
    }

    public void remove(ClientSession client) {
        if (clients.remove(client.id()) != null) {
            count.decrementAndGet();
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
