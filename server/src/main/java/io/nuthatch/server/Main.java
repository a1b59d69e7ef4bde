package io.nuthatch.server;

import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code nuthatch-server [config-file] [--directive value ...]}: the process, started like
 * redis-server.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = new ServerConfig();
        List<String> line = null;
        for (String arg : args) {
            if (arg.startsWith("--")) {
                apply(config, line);
                line = new ArrayList<>();
                line.add(arg.substring(2));
            } else if (line != null) {
                line.add(arg);
            }
        }
        apply(config, line);
        ServerLog log = new ServerLog();
        NuthatchServer server = NuthatchServer.start(config, log);
        server.engine().shutdownAction(() -> {
            server.close();
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nuthatch-signal"));
        server.awaitStop();
    }

    private static void apply(ServerConfig config, List<String> line) throws ConfigException {
        if (line == null) {
            return;
        }
        ConfigDirective directive = config.find(line.get(0));
        if (directive == null) {
            throw new ConfigException("Bad directive or wrong number of arguments: " + line.get(0));
        }
        directive.set(line.subList(1, line.size()));
    }
}
