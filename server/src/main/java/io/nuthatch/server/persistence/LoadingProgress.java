package io.nuthatch.server.persistence;

/**
 * How far the load is, for INFO's loading_* fields: bytes of the files done over their total, and
 * an estimate of the time left from the rate so far. Written by the loading thread, read by INFO.
 */
final class LoadingProgress {
    private volatile boolean loading;
    private volatile long startMillis;
    private volatile long totalBytes;
    /** Bytes of the files finished before the current one. */
    private volatile long doneBytes;
    private volatile long currentFileBytes;
    private volatile long loadedBytes;

    void started(long total) {
        startMillis = System.currentTimeMillis();
        totalBytes = total;
        doneBytes = 0;
        currentFileBytes = 0;
        loadedBytes = 0;
        loading = true;
    }

    void nextFile(long size) {
        doneBytes += currentFileBytes;
        currentFileBytes = size;
    }

    /** Bytes of the current file done. */
    void loadedBytes(long inFile) {
        loadedBytes = doneBytes + inFile;
    }

    void ended() {
        loading = false;
    }

    boolean isLoading() {
        return loading;
    }

    long startSeconds() {
        return startMillis / 1000;
    }

    long totalBytes() {
        return totalBytes;
    }

    long loadedBytes() {
        return loadedBytes;
    }

    double percent() {
        long total = totalBytes;
        return total == 0 ? 0 : 100.0 * loadedBytes / total;
    }

    /** Redis's estimate: the time so far scaled by what is left; 1 second until something is done. */
    long etaSeconds() {
        long loaded = loadedBytes;
        if (loaded == 0) {
            return 1;
        }
        double elapsed = (System.currentTimeMillis() - startMillis) / 1000.0;
        return (long) ((totalBytes - loaded) / (loaded / Math.max(elapsed, 0.001)));
    }
}
