package io.nuthatch.server.eviction;

import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientInfoLine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.config.MemoryDirective;

import java.util.Arrays;

/**
 * maxmemory-clients (Redis 7.0's client eviction): when the memory of all connections together
 * passes the limit, connections are closed, the biggest first, until it fits again. It protects
 * the keys, not the clients: without it, many clients' buffers (a pipeline of large values, replies
 * nobody reads) count against maxmemory and push keys out, or take the heap.
 *
 * <p><b>The limit.</b> maxmemory-clients in bytes, or a percentage of maxmemory ("5%"; none while
 * maxmemory is 0); 0 turns it off. Never less than 128 KB, so that a bad setting cannot close every
 * connection including the one that would fix it (measured on redis-server 7.0.15: a setting of 1
 * byte evicts nobody at 107 KB of clients, and evicts at 130 KB).
 *
 * <p><b>A connection's memory.</b> What CLIENT LIST shows as tot-mem: the fixed heap of a connection
 * ({@link ClientSession#CONNECTION_HEAP_BYTES}), its query buffer and the arguments of an unfinished
 * request, its reply buffers and the replies queued on the socket. Every connection counts toward the
 * total, those with CLIENT NO-EVICT on too, but those are never closed.
 *
 * <p><b>When.</b> Redis keeps the clients in size buckets updated on every read and write. Here the
 * total is re-measured by walking the connections on every cron run, and before every command the
 * running client's part is brought up to date (a few field reads), since its query buffer is what
 * grows between runs. Only when that total is over the limit are the connections walked again and
 * sorted, so an idle limit costs nothing per command. A client closed before its command runs does
 * not get to run it, as in Redis.
 *
 * <p>Everything runs with the engine held.
 */
public final class ClientEviction {
    /** The smallest limit in effect, whatever maxmemory-clients says. */
    static final long MINIMUM_LIMIT = 128 * 1024;

    private final Engine engine;
    private final MemoryDirective maxmemoryClients;
    private volatile long limit;
    /** The connections' memory: exact after each walk, kept current for the running client in between. */
    private long total;
    private ClientSession[] byMemory = new ClientSession[16];

    ClientEviction(Engine engine) {
        this.engine = engine;
        this.maxmemoryClients = engine.config().network.maxmemoryClients;
        limit = limitOf(maxmemoryClients.value(), engine.config().maxmemory.value());
        maxmemoryClients.onChange(this::limitChanged);
        engine.config().maxmemory.onChange(this::limitChanged);
    }

    /** CONFIG SET (the engine held): the parts measured while the limit was off are stale. */
    private void limitChanged() {
        limit = limitOf(maxmemoryClients.value(), engine.config().maxmemory.value());
        if (limit != 0) {
            measureAll();
        }
    }

    /** The limit maxmemory-clients sets (a negative value is a percentage of maxmemory); 0 for none. */
    static long limitOf(long setting, long maxmemory) {
        long bytes;
        if (setting < 0) {
            if (maxmemory == 0) {
                return 0;
            }
            bytes = (long) (maxmemory * (-setting / 100.0));
        } else {
            bytes = setting;
        }
        return bytes == 0 ? 0 : Math.max(bytes, MINIMUM_LIMIT);
    }

    /** The memory of one connection as client eviction and CLIENT LIST's tot-mem count it. */
    public static long memoryOf(ClientSession client) {
        return ClientSession.CONNECTION_HEAP_BYTES + client.transport().bufferMemory();
    }

    /**
     * Before a command: brings the running client's part of the total up to date and evicts when the
     * total passes the limit. Returns whether the running client itself was closed (its command must
     * not run).
     */
    boolean beforeCommand(ClientSession running) {
        if (limit == 0 || running == null) {
            return false;
        }
        long now = memoryOf(running);
        total += now - running.evictionMemory();
        running.evictionMemory(now);
        if (total <= limit) {
            return false;
        }
        evictOverLimit();
        return running.isClosing();
    }

    /** The cron's run: measures every connection anew, then evicts if the total is over the limit. */
    public void cronTick() {
        if (limit == 0) {
            return;
        }
        if (measureAll() > limit) {
            evictOverLimit();
        }
    }

    /**
     * Closes connections, biggest first, until the total fits the limit or only connections that
     * may not be closed are left. Each is logged with its CLIENT LIST line and counted in
     * evicted_clients.
     */
    private void evictOverLimit() {
        int candidates = 0;
        long measured = 0;
        for (ClientSession client : engine.clients().all()) {
            long memory = memoryOf(client);
            client.evictionMemory(memory);
            measured += memory;
            if (client.noEvict() || client.isClosing()) {
                continue;
            }
            if (candidates == byMemory.length) {
                byMemory = Arrays.copyOf(byMemory, candidates * 2);
            }
            byMemory[candidates++] = client;
        }
        total = measured;
        Arrays.sort(byMemory, 0, candidates, (a, b) -> Long.compare(b.evictionMemory(), a.evictionMemory()));
        for (int i = 0; i < candidates && total > limit; i++) {
            ClientSession client = byMemory[i];
            engine.log().notice("Evicting client: " + ClientInfoLine.of(client));
            client.closeNow();
            engine.stats().evictedClients++;
            total -= client.evictionMemory();
            client.evictionMemory(0);
        }
        Arrays.fill(byMemory, 0, candidates, null);
    }

    private long measureAll() {
        long measured = 0;
        for (ClientSession client : engine.clients().all()) {
            long memory = memoryOf(client);
            client.evictionMemory(memory);
            measured += memory;
        }
        total = measured;
        return measured;
    }
}
