package io.nuthatch.server.network;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Which thread decodes and runs a connection's requests. Both models run every command through the
 * engine's gate, so they differ only in where the work happens; the package documentation gives the
 * measurements that chose the default.
 */
interface ExecutionModel {

    /** Decode and run the bytes just read. */
    void run(ClientConnection connection, ByteBuf in);

    /** The read batch is over: send its replies. */
    void readComplete(ClientConnection connection);

    /** The connection closed. */
    void closed(ClientConnection connection);

    /** Runs other work of the connection (waking a blocked client), called on its event loop. */
    void execute(ClientConnection connection, Runnable task);

    void shutdown();

    /**
     * Design (a): each event loop runs the requests it reads, entering the engine's gate per read
     * batch. Parsing and socket work run in parallel on the event loops; execution is serialized by
     * the gate.
     */
    static ExecutionModel onEventLoop() {
        return new ExecutionModel() {
            @Override
            public void run(ClientConnection connection, ByteBuf in) {
                connection.process(in);
            }

            @Override
            public void readComplete(ClientConnection connection) {
                connection.flush();
            }

            @Override
            public void closed(ClientConnection connection) {
                connection.release();
            }

            @Override
            public void execute(ClientConnection connection, Runnable task) {
                task.run();
            }

            @Override
            public void shutdown() {
            }
        };
    }

    /**
     * Design (b): the event loops only move bytes; one execution thread decodes and runs every
     * request, in the order reads arrive, and hands the replies back to the event loops.
     */
    static ExecutionModel onDedicatedThread() {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nuthatch-execution");
            thread.setDaemon(true);
            return thread;
        });
        return new ExecutionModel() {
            @Override
            public void run(ClientConnection connection, ByteBuf in) {
                executor.execute(() -> connection.process(in));
            }

            @Override
            public void readComplete(ClientConnection connection) {
                executor.execute(connection::flush);
            }

            @Override
            public void closed(ClientConnection connection) {
                executor.execute(connection::release);
            }

            @Override
            public void execute(ClientConnection connection, Runnable task) {
                executor.execute(task);
            }

            @Override
            public void shutdown() {
                executor.shutdown();
                try {
                    executor.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
