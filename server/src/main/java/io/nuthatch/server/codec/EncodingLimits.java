package io.nuthatch.server.codec;

import io.nuthatch.server.config.EncodingDirectives;

/**
 * The sizes that decide a decoded value's layout, as the configuration had them when decoding
 * started: a value read from a payload takes the layout a command would have given it here.
 */
public record EncodingLimits(long hashMaxListpackEntries, long hashMaxListpackValue, long setMaxIntsetEntries,
        long zsetMaxListpackEntries, long zsetMaxListpackValue, int listMaxListpackSize, long streamNodeMaxBytes,
        long streamNodeMaxEntries) {

    /** Redis 7.0's defaults. */
    public static final EncodingLimits DEFAULTS = new EncodingLimits(512, 64, 512, 128, 64, -2, 4096, 100);

    public static EncodingLimits of(EncodingDirectives directives) {
        return new EncodingLimits(directives.hashMaxListpackEntries.value(), directives.hashMaxListpackValue.value(),
                directives.setMaxIntsetEntries.value(), directives.zsetMaxListpackEntries.value(),
                directives.zsetMaxListpackValue.value(), (int) directives.listMaxListpackSize.value(),
                directives.streamNodeMaxBytes.value(), directives.streamNodeMaxEntries.value());
    }
}
