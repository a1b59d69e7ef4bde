package io.nuthatch.server.acl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The ACL log of Redis 7.0: the recent authentication failures and permission denials, newest
 * first, at most acllog-max-len of them.
 *
 * <p>A denial like one of the newest ten (same reason, context, object and user, the older one
 * less than a minute old) is counted on that entry instead of making a new one, and the entry
 * moves to the front with the new client's description and time: a client retrying the same
 * forbidden command in a loop fills one entry, not the whole log. That is Redis's rule, scan
 * depth and time window included.
 */
public final class AclLog {
    /** Why an entry was made; the names are what ACL LOG shows. */
    public enum Reason {
        AUTH("auth"), COMMAND("command"), KEY("key"), CHANNEL("channel");

        private final String shownAs;

        Reason(String shownAs) {
            this.shownAs = shownAs;
        }

        public String shownAs() {
            return shownAs;
        }
    }

    /** Where the denied command came from; the names are what ACL LOG shows. */
    public enum Context {
        TOPLEVEL("toplevel"), MULTI("multi"), LUA("lua");

        private final String shownAs;

        Context(String shownAs) {
            this.shownAs = shownAs;
        }

        public String shownAs() {
            return shownAs;
        }
    }

    /** One entry as ACL LOG shows it; count, client description and time change when it is matched again. */
    public static final class Entry {
        private final Reason reason;
        private final Context context;
        private final String object;
        private final String username;
        private long count = 1;
        private String clientInfo;
        private long createdMillis;

        Entry(Reason reason, Context context, String object, String username, String clientInfo, long createdMillis) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.clientInfo = clientInfo;
            this.createdMillis = createdMillis;
        }

        public long count() {
            return count;
        }

        public Reason reason() {
            return reason;
        }

        public Context context() {
            return context;
        }

        public String object() {
            return object;
        }

        public String username() {
            return username;
        }

        public String clientInfo() {
            return clientInfo;
        }

        public long createdMillis() {
            return createdMillis;
        }
    }

    private static final int MATCH_SCAN_DEPTH = 10;
    private static final long MATCH_WINDOW_MILLIS = 60_000;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final LongSupplier maxLength;

    /** @param maxLength acllog-max-len, read at each new entry so that CONFIG SET applies at once */
    public AclLog(LongSupplier maxLength) {
        this.maxLength = maxLength;
    }

    /** Records a failure or denial, grouped with a recent equal one as the class comment says. */
    public void add(Reason reason, Context context, String object, String username, String clientInfo) {
        long now = System.currentTimeMillis();
        Iterator<Entry> newestFirst = entries.iterator();
        for (int scanned = 0; scanned < MATCH_SCAN_DEPTH && newestFirst.hasNext(); scanned++) {
            Entry entry = newestFirst.next();
            if (entry.reason == reason && entry.context == context && entry.object.equals(object)
                    && entry.username.equals(username) && now - entry.createdMillis <= MATCH_WINDOW_MILLIS) {
                newestFirst.remove();
                entry.count++;
                entry.clientInfo = clientInfo;
                entry.createdMillis = now;
                entries.addFirst(entry);
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, clientInfo, now));
        trim();
    }

    /** Drops the oldest entries past acllog-max-len (CONFIG SET may have lowered it). */
    public void trim() {
        long limit = maxLength.getAsLong();
        while (entries.size() > limit) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries, newest first. */
    public List<Entry> newest(long count) {
        List<Entry> newest = new ArrayList<>((int) Math.min(count, entries.size()));
        for (Entry entry : entries) {
            if (newest.size() >= count) {
                break;
            }
            newest.add(entry);
        }
        return newest;
    }

    public void reset() {
        entries.clear();
    }
}
