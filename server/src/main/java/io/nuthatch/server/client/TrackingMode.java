package io.nuthatch.server.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * How one client tracks keys for its client-side cache (CLIENT TRACKING ON and its options): a
 * session holds one while tracking is on, and none otherwise. The server-wide tables that this
 * state is registered in belong to {@code io.nuthatch.server.tracking.ClientTracking}, the only code
 * that changes it apart from CLIENT CACHING's one-command flag.
 */
public final class TrackingMode {
    private long redirect;
    private boolean broadcast;
    private boolean optIn;
    private boolean optOut;
    private boolean noLoop;
    /** CLIENT CACHING YES (in OPTIN mode) or NO (in OPTOUT mode) for the next command. */
    private boolean caching;
    private boolean brokenRedirect;
    /** BCAST prefixes in byte order, as CLIENT TRACKINGINFO lists them. */
    private final TreeSet<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);

    /** The id of the client invalidations go to, or 0 when they go to this client. */
    public long redirect() {
        return redirect;
    }

    public void redirect(long clientId) {
        this.redirect = clientId;
    }

    public boolean broadcast() {
        return broadcast;
    }

    public boolean optIn() {
        return optIn;
    }

    public boolean optOut() {
        return optOut;
    }

    public boolean noLoop() {
        return noLoop;
    }

    /** Sets the options of CLIENT TRACKING ON; a new ON replaces the previous one's options. */
    public void options(boolean broadcast, boolean optIn, boolean optOut, boolean noLoop) {
        this.broadcast = broadcast;
        this.optIn = optIn;
        this.optOut = optOut;
        this.noLoop = noLoop;
        this.brokenRedirect = false;
    }

    public boolean caching() {
        return caching;
    }

    public void caching(boolean caching) {
        this.caching = caching;
    }

    /** Whether the keys the current command reads are to be remembered, given OPTIN/OPTOUT and CLIENT CACHING. */
    public boolean remembersReads() {
        return !broadcast && !(optIn && !caching) && !(optOut && caching);
    }

    /** Whether the client to redirect to was found gone when an invalidation was due (CLIENT LIST flag R). */
    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    public void brokenRedirect(boolean broken) {
        this.brokenRedirect = broken;
    }

    /** The client's BCAST prefixes, in byte order (a live view). */
    public TreeSet<byte[]> prefixes() {
        return prefixes;
    }

    /** The flag words of CLIENT TRACKINGINFO, in Redis's order. */
    public List<String> flagWords() {
        List<String> words = new ArrayList<>(6);
        words.add("on");
        if (broadcast) {
            words.add("bcast");
        }
        if (optIn) {
            words.add("optin");
            if (caching) {
                words.add("caching-yes");
            }
        }
        if (optOut) {
            words.add("optout");
            if (caching) {
                words.add("caching-no");
            }
        }
        if (noLoop) {
            words.add("noloop");
        }
        if (brokenRedirect) {
            words.add("broken_redirect");
        }
        return words;
    }
}
