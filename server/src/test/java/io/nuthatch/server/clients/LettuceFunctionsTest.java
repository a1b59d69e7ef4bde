package io.nuthatch.server.clients;

import io.lettuce.core.FlushMode;
import io.lettuce.core.FunctionRestoreMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis 7 functions through Lettuce's function API, as an application calls them: FUNCTION LOAD,
 * FCALL and FCALL_RO with keys and arguments, FUNCTION LIST, and DUMP/RESTORE between flushes.
 */
class LettuceFunctionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String LOCKS = """
            #!lua name=locks
            redis.register_function('acquire', function(keys, args)
              return redis.call('SET', keys[1], args[1], 'NX', 'PX', args[2]) and 1 or 0
            end)
            redis.register_function('release', function(keys, args)
              if redis.call('GET', keys[1]) == args[1] then return redis.call('DEL', keys[1]) end
              return 0
            end)
            redis.register_function{function_name='owner', callback=function(keys)
              return redis.call('GET', keys[1])
            end, flags={'no-writes'}, description='who holds the lock'}
            """;

    private static NuthatchServer server;
    private static ClientResources resources;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void start() {
        server = ReferencePair.startNuthatch();
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(TIMEOUT).build());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        resources.shutdown();
        server.close();
    }

    @BeforeEach
    void empty() {
        redis.functionFlush(FlushMode.SYNC);
        redis.flushall();
    }

    @Test
    void aLockLibraryIsLoadedAndItsFunctionsCalledWithKeysAndArguments() {
        assertEquals("locks", redis.functionLoad(LOCKS));
        assertEquals(1L, (Long) redis.fcall("acquire", ScriptOutputType.INTEGER, new String[] {"lock:a"}, "me", "60000"));
        assertEquals(0L, (Long) redis.fcall("acquire", ScriptOutputType.INTEGER, new String[] {"lock:a"}, "you", "60000"));
        assertEquals("me", redis.fcallReadOnly("owner", ScriptOutputType.VALUE, "lock:a"));
        assertEquals(0L, (Long) redis.fcall("release", ScriptOutputType.INTEGER, new String[] {"lock:a"}, "you"));
        assertEquals(1L, (Long) redis.fcall("release", ScriptOutputType.INTEGER, new String[] {"lock:a"}, "me"));
        assertEquals(0L, redis.exists("lock:a"));
    }

    @Test
    void fcallReadOnlyRefusesAFunctionThatMayWrite() {
        redis.functionLoad(LOCKS);
        RedisCommandExecutionException refused = assertThrows(RedisCommandExecutionException.class,
                () -> redis.fcallReadOnly("acquire", ScriptOutputType.INTEGER, new String[] {"lock:b"}, "me", "1000"));
        assertEquals("ERR Can not execute a script with write flag using *_ro command.", refused.getMessage());
        assertEquals(0L, redis.exists("lock:b"));
    }

    @Test
    void functionListDescribesTheLibrary() {
        redis.functionLoad(LOCKS);
        List<Map<String, Object>> libraries = redis.functionList();
        assertEquals(1, libraries.size());
        assertEquals("locks", libraries.get(0).get("library_name"));
        assertEquals("LUA", libraries.get(0).get("engine"));
        List<?> functions = (List<?>) libraries.get(0).get("functions");
        assertEquals(3, functions.size());
        assertTrue(functions.toString().contains("who holds the lock"), functions.toString());
    }

    @Test
    void infoMemoryCountsLibrariesAndFunctions() {
        redis.functionLoad(LOCKS);
        String memory = redis.info("memory");
        assertTrue(memory.contains("number_of_functions:3\r\n"), memory);
        assertTrue(memory.contains("number_of_libraries:1\r\n"), memory);
        redis.functionFlush(FlushMode.SYNC);
        assertTrue(redis.info("memory").contains("number_of_libraries:0\r\n"));
    }

    @Test
    void aDumpRestoresTheLibrariesAfterAFlush() {
        redis.functionLoad(LOCKS);
        byte[] dump = redis.functionDump();
        redis.functionFlush(FlushMode.SYNC);
        assertThrows(RedisCommandExecutionException.class,
                () -> redis.fcall("acquire", ScriptOutputType.INTEGER, new String[] {"lock:c"}, "me", "1000"));
        assertEquals("OK", redis.functionRestore(dump));
        assertEquals(1L, (Long) redis.fcall("acquire", ScriptOutputType.INTEGER, new String[] {"lock:c"}, "me", "1000"));
        assertEquals("OK", redis.functionRestore(dump, FunctionRestoreMode.REPLACE));
        RedisCommandExecutionException collision = assertThrows(RedisCommandExecutionException.class,
                () -> redis.functionRestore(dump));
        assertEquals("ERR Library locks already exists", collision.getMessage());
    }
}
