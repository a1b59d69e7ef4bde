package io.nuthatch.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The C library's words (strerror) for a failed file operation, which Redis puts in its messages
 * ("Can't open the log file: No such file or directory"). Java reports the same errors as
 * exceptions with messages of its own; this gives them back Redis's words.
 */
public final class SystemErrors {
    private SystemErrors() {
    }

    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        String reason = e instanceof FileSystemException fileError ? fileError.getReason() : e.getMessage();
        if (reason == null) {
            return "Input/output error";
        }
        // FileOutputStream reports "path (reason)"; NIO gives the reason alone.
        int open = reason.lastIndexOf(" (");
        if (open >= 0 && reason.endsWith(")")) {
            reason = reason.substring(open + 2, reason.length() - 1);
        }
        return reason;
    }
}
