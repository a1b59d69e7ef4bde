package io.nuthatch.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * dir: the working directory, where data files go and relative paths start.
 *
 * <p>Redis changes its process's working directory (chdir) and shows the result (getcwd): the
 * real, absolute path. A JVM cannot change its working directory, and should not when it is
 * embedded, so this directive keeps the absolute real path and the rest of the server resolves
 * relative paths against it ({@link ServerConfig#resolvePath}). A relative value starts from the
 * previous one, as chdir's would; the errors are chdir's.
 */
public final class DirectoryDirective extends ConfigDirective {
    private volatile Path directory;

    public DirectoryDirective() {
        super("dir");
        this.directory = Path.of("").toAbsolutePath();
    }

    /** The directory as an absolute path, as CONFIG GET dir shows it. */
    public String value() {
        return directory.toString();
    }

    public Path path() {
        return directory;
    }

    @Override
    protected void apply(List<String> arguments) throws ConfigException {
        String text = ConfigSyntax.cString(single(arguments));
        if (text.isEmpty()) {
            throw new ConfigException("No such file or directory");
        }
        Path target = directory.resolve(ServerConfig.nativePath(text));
        if (!Files.exists(target)) {
            throw new ConfigException(missingOrNotDirectory(target));
        }
        if (!Files.isDirectory(target)) {
            throw new ConfigException("Not a directory");
        }
        if (!Files.isExecutable(target)) {
            throw new ConfigException("Permission denied");
        }
        try {
            directory = target.toRealPath();
        } catch (IOException e) {
            throw new ConfigException(SystemErrors.describe(e));
        }
    }

    /** chdir's error for a path that does not exist: ENOTDIR when a parent is a file. */
    private static String missingOrNotDirectory(Path target) {
        for (Path parent = target.getParent(); parent != null; parent = parent.getParent()) {
            if (Files.exists(parent)) {
                return Files.isDirectory(parent) ? "No such file or directory" : "Not a directory";
            }
        }
        return "No such file or directory";
    }

    @Override
    public String get() {
        return new String(directory.toString().getBytes(ServerConfig.nativeCharset()), StandardCharsets.ISO_8859_1);
    }

    /** Redis always writes dir: its default is wherever the server happened to start. */
    @Override
    public boolean isDefault() {
        return false;
    }

    @Override
    protected String rewriteValue() {
        return ConfigSyntax.quote(get());
    }
}
