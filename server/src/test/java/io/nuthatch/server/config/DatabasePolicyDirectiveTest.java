package io.nuthatch.server.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * maxmemory-policy-db: config file lines add up, one database each; CONFIG SET's form replaces
 * them all; a database number outside {@code databases} or a policy that does not exist is refused.
 */
class DatabasePolicyDirectiveTest {

    @Test
    void configFileLinesAddUpAndALaterLineWinsForItsDatabase() throws ConfigException {
        ServerConfig config = new ServerConfig();
        DatabasePolicyDirective directive = config.memory.maxmemoryPolicyDb;
        directive.loadFromFile(List.of("1", "noeviction"));
        directive.loadFromFile(List.of("3", "VOLATILE-TTL"));
        directive.loadFromFile(List.of("1", "allkeys-lfu"));
        assertEquals("allkeys-lfu", directive.policyOf(1));
        assertEquals("volatile-ttl", directive.policyOf(3));
        assertNull(directive.policyOf(0), "a database without a line follows maxmemory-policy");
        assertEquals("1 allkeys-lfu 3 volatile-ttl", directive.get());
    }

    @Test
    void configSetReplacesEveryDatabasesPolicy() throws ConfigException {
        ServerConfig config = new ServerConfig();
        DatabasePolicyDirective directive = config.memory.maxmemoryPolicyDb;
        directive.set("1 noeviction 2 allkeys-lru");
        directive.set("2 volatile-lru");
        assertNull(directive.policyOf(1));
        assertEquals("2 volatile-lru", directive.get());
        directive.set("");
        assertEquals("", directive.get());
    }

    @Test
    void databasesOutsideTheConfiguredNumberAndUnknownPoliciesAreRefused() throws ConfigException {
        ServerConfig config = new ServerConfig();
        config.databases.set("4");
        DatabasePolicyDirective directive = config.memory.maxmemoryPolicyDb;
        assertThrows(ConfigException.class, () -> directive.set("4 noeviction"));
        assertThrows(ConfigException.class, () -> directive.set("-1 noeviction"));
        assertThrows(ConfigException.class, () -> directive.set("x noeviction"));
        assertThrows(ConfigException.class, () -> directive.set("1 lru"));
        assertThrows(ConfigException.class, () -> directive.set("1"));
        directive.set("3 noeviction");
        assertEquals("3 noeviction", directive.get());
    }
}
