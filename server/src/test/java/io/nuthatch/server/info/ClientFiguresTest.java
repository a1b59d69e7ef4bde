package io.nuthatch.server.info;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INFO clients reads figures kept as clients come, go and park (exact at once) and figures the
 * cron keeps from its walk of the clients (the recent buffer peaks, which last some seconds after
 * the buffer drained, as in Redis).
 */
class ClientFiguresTest {
    private NuthatchServer server;
    private RawConnection connection;

    @BeforeEach
    void start() throws IOException {
        server = ReferencePair.startNuthatch();
        connection = new RawConnection(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        connection.close();
        server.close();
    }

    private InfoText info() throws IOException {
        return InfoText.fetch(connection, "clients");
    }

    @Test
    void connectedClientsCountsEachConnectionAtOnce() throws IOException {
        long before = info().number("Clients", "connected_clients");
        List<RawConnection> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawConnection other = new RawConnection(server.port());
                opened.add(other);
                other.call("PING");
            }
            assertEquals(before + 3, info().number("Clients", "connected_clients"));
        } finally {
            for (RawConnection other : opened) {
                other.close();
            }
        }
        pollUntil(info -> info.number("Clients", "connected_clients") == before);
    }

    @Test
    void blockedClientsAndTheTimeoutTableFollowParkingAndWaking() throws IOException {
        try (RawConnection timed = new RawConnection(server.port());
             RawConnection forever = new RawConnection(server.port())) {
            String foreverId = clientId(forever);
            timed.send(command("BLPOP", "q", "100"));
            forever.send(command("BLPOP", "r", "0"));
            InfoText parked = pollUntil(info -> info.number("Clients", "blocked_clients") == 2);
            assertEquals(1, parked.number("Clients", "clients_in_timeout_table"));

            connection.call("RPUSH", "q", "x");
            assertTrue(new String(timed.readReply(), StandardCharsets.US_ASCII).startsWith("*2\r\n"));
            InfoText served = info();
            assertEquals(1, served.number("Clients", "blocked_clients"));
            assertEquals(0, served.number("Clients", "clients_in_timeout_table"));

            connection.call("CLIENT", "UNBLOCK", foreverId);
            forever.readReply();
            assertEquals(0, info().number("Clients", "blocked_clients"));
        }
    }

    @Test
    void recentMaxInputBufferOutlivesTheBufferForSomeSeconds() throws IOException {
        try (RawConnection writer = new RawConnection(server.port())) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes("*2\r\n$4\r\nECHO\r\n$200000\r\n".getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(new byte[100_000]);
            writer.send(head.toByteArray());
            pollUntil(info -> info.number("Clients", "client_recent_max_input_buffer") >= 100_000);

            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.writeBytes(new byte[100_000]);
            rest.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            writer.send(rest.toByteArray());
            writer.readReply();
            // The request ran and its buffer is gone; the peak of the last seconds still shows it.
            assertTrue(info().number("Clients", "client_recent_max_input_buffer") >= 100_000);
            // Then it ages out of the window of ClientFigures.SLOTS seconds.
            pollUntil(info -> info.number("Clients", "client_recent_max_input_buffer") < 100_000);
        }
    }

    /**
     * With 60 clients at hz 10 a cron tick visits 6 of them: a big buffer on any one is still seen
     * within a pass, and a client that goes takes its buffers out of mem_clients_normal at once,
     * without waiting for the walk to come round.
     */
    @Test
    void theWalkInStepsSeesEveryClientAndForgetsOneThatGoesAtOnce() throws IOException {
        List<RawConnection> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                RawConnection other = new RawConnection(server.port());
                idle.add(other);
                other.call("PING");
            }
            long idleMemory = InfoText.fetch(connection, "memory").number("Memory", "mem_clients_normal");
            RawConnection writer = idle.get(30);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes("*2\r\n$4\r\nECHO\r\n$200000\r\n".getBytes(StandardCharsets.US_ASCII));
            head.writeBytes(new byte[100_000]);
            writer.send(head.toByteArray());
            pollUntil(info -> info.number("Clients", "client_recent_max_input_buffer") >= 100_000);
            long deadline = System.currentTimeMillis() + 10_000;
            while (InfoText.fetch(connection, "memory").number("Memory", "mem_clients_normal") < idleMemory + 100_000) {
                assertTrue(System.currentTimeMillis() < deadline, "the buffer is counted in mem_clients_normal");
            }

            long connected = info().number("Clients", "connected_clients");
            writer.close();
            idle.remove(writer);
            pollUntil(info -> info.number("Clients", "connected_clients") == connected - 1);
            assertTrue(InfoText.fetch(connection, "memory").number("Memory", "mem_clients_normal") < idleMemory,
                    "its buffer and its connection left mem_clients_normal with it");
        } finally {
            for (RawConnection other : idle) {
                other.close();
            }
        }
    }

    private String clientId(RawConnection other) throws IOException {
        String reply = new String(other.call("CLIENT", "ID"), StandardCharsets.US_ASCII);
        return reply.substring(1, reply.indexOf('\r'));
    }

    private static byte[] command(String... words) {
        StringBuilder text = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            text.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private InfoText pollUntil(Predicate<InfoText> condition) throws IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        InfoText last;
        do {
            last = info();
            if (condition.test(last)) {
                return last;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not met before the deadline; last INFO:\n" + last.text());
    }
}
