package io.nuthatch.server.client;

import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected clients, in the order they connected (which is their id order, as CLIENT LIST
 * shows them). Connections come and go on the network threads while commands read the registry,
 * so it is a concurrent map.
 */
public final class ClientRegistry {
    private final AtomicLong lastId = new AtomicLong();
    private final ConcurrentSkipListMap<Long, ClientSession> clients = new ConcurrentSkipListMap<>();

    /** The id the next client gets; ids are never reused. */
    public long nextId() {
        return lastId.incrementAndGet();
    }

    public void add(ClientSession client) {
        clients.put(client.id(), client);
    }

    public void remove(ClientSession client) {
        clients.remove(client.id());
    }

    public int count() {
        return clients.size();
    }

    public ClientSession find(long id) {
        return clients.get(id);
    }

    public Collection<ClientSession> all() {
        return Collections.unmodifiableCollection(clients.values());
    }
}
