package io.nuthatch.server.tracking;

import io.nuthatch.server.client.ClientSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * BCAST mode's table: every prefix some client registered, the clients registered for it, and the
 * keys under it changed since the last broadcast.
 *
 * <p>A change is checked against every prefix (as Redis does: a client has few prefixes, and the
 * empty prefix matches everything). Changed keys collect per prefix, each with the client whose
 * command changed it (null for expiry and eviction), and go out together once the command, EXEC or
 * cron turn that changed them is over: one message per prefix and client, its keys in byte order,
 * without the keys a NOLOOP client changed itself.
 */
final class BroadcastPrefixes {
    /** Prefixes in byte order, the order Redis's radix tree visits them in. */
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private boolean changesPending;

    /** Registers the client for the prefix; false when it already was. */
    boolean add(byte[] prefix, ClientSession client) {
        Prefix state = prefixes.computeIfAbsent(prefix, absent -> new Prefix());
        if (state.clients.contains(client)) {
            return false;
        }
        state.clients.add(client);
        return true;
    }

    /** Unregisters the client from the prefix; a prefix nobody is registered for is dropped. */
    void remove(byte[] prefix, ClientSession client) {
        Prefix state = prefixes.get(prefix);
        if (state != null && state.clients.remove(client) && state.clients.isEmpty()) {
            prefixes.remove(prefix);
        }
    }

    boolean isEmpty() {
        return prefixes.isEmpty();
    }

    int count() {
        return prefixes.size();
    }

    boolean hasChanges() {
        return changesPending;
    }

    /** Notes a changed key under each prefix it starts with. */
    void keyChanged(byte[] key, int offset, int length, ClientSession changer) {
        byte[] kept = null;
        for (Map.Entry<byte[], Prefix> entry : prefixes.entrySet()) {
            byte[] prefix = entry.getKey();
            if (prefix.length <= length && Arrays.equals(prefix, 0, prefix.length, key, offset, offset + prefix.length)) {
                if (kept == null) {
                    kept = Arrays.copyOfRange(key, offset, offset + length);
                }
                entry.getValue().changed.put(kept, changer);
                changesPending = true;
            }
        }
    }

    /** Hands each prefix's changed keys to {@code sender}, then forgets them. */
    void broadcast(Sender sender) {
        changesPending = false;
        for (Prefix state : prefixes.values()) {
            if (state.changed.isEmpty()) {
                continue;
            }
            // A client may go away while messages go out (an output limit): walk a copy.
            for (ClientSession client : state.clients.toArray(new ClientSession[0])) {
                if (client.tracking() != null && client.tracking().noLoop()) {
                    List<byte[]> others = new ArrayList<>(state.changed.size());
                    for (Map.Entry<byte[], ClientSession> changed : state.changed.entrySet()) {
                        if (changed.getValue() != client) {
                            others.add(changed.getKey());
                        }
                    }
                    if (!others.isEmpty()) {
                        sender.send(client, others);
                    }
                } else {
                    sender.send(client, state.changed.keySet());
                }
            }
            state.changed.clear();
        }
    }

    /** Where a broadcast's messages go. */
    interface Sender {
        void send(ClientSession client, Collection<byte[]> keys);
    }

    private static final class Prefix {
        /** Registered clients, in the order they registered. */
        final List<ClientSession> clients = new ArrayList<>(2);
        /** Changed keys in byte order, each with the client that changed it last (null: no client). */
        final TreeMap<byte[], ClientSession> changed = new TreeMap<>(Arrays::compareUnsigned);
    }
}
