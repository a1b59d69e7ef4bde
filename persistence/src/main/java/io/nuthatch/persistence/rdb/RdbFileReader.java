package io.nuthatch.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an RDB file (or the RDB preamble of an AOF) from a stream: the "REDIS" magic and version,
 * then records until the EOF opcode and the CRC-64 after it, handing each to a
 * {@link RdbRecordHandler}. Bytes in, records out: the values themselves are read by the handler.
 *
 * <p>Versions 1 to 12 are accepted (Redis 2.x to 7.4, Valkey 7 and 8); every opcode those write is
 * understood: AUX, SELECTDB, RESIZEDB, EXPIRETIME (seconds) and EXPIRETIME_MS, IDLE, FREQ,
 * FUNCTION2, SLOT_INFO (7.4, skipped). Module auxiliary data and pre-7.0-GA function records
 * cannot be read without what wrote them and stop the read with a message saying so. The CRC is
 * checked when the writer computed one (a zero CRC means rdbchecksum was off).
 */
public final class RdbFileReader {
    private static final byte[] MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);

    /** What a completed read found. */
    public record Summary(int version, long keys, boolean checksumVerified) {
    }

    private RdbFileReader() {
    }

    /**
     * Reads a whole RDB from {@code in}, which is left just after the CRC (so an AOF's commands
     * after its preamble can be read from {@link RdbInput#remainder()}).
     */
    public static Summary read(RdbInput in, RdbRecordHandler handler) throws IOException {
        byte[] magic = in.readRaw(MAGIC.length + 4);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new RdbFormatException("not an RDB file: it does not start with REDIS");
            }
        }
        int version = 0;
        for (int i = MAGIC.length; i < magic.length; i++) {
            if (magic[i] < '0' || magic[i] > '9') {
                throw new RdbFormatException("not an RDB file: its version is not a number");
            }
            version = version * 10 + (magic[i] - '0');
        }
        if (version < 1 || version > RdbFormat.NEWEST_READABLE_VERSION) {
            throw new RdbFormatException("RDB version " + version + " is not one this server reads (1 to "
                    + RdbFormat.NEWEST_READABLE_VERSION + ")");
        }
        long keys = 0;
        long expiresAt = -1;
        long idle = -1;
        int frequency = -1;
        while (true) {
            int type = in.readUnsignedByte();
            switch (type) {
                case RdbFormat.OPCODE_EXPIRETIME:
                    expiresAt = (in.readIntLittleEndian() & 0xffffffffL) * 1000;
                    continue;
                case RdbFormat.OPCODE_EXPIRETIME_MS:
                    expiresAt = in.readLongLittleEndian();
                    continue;
                case RdbFormat.OPCODE_IDLE:
                    idle = in.readLength();
                    continue;
                case RdbFormat.OPCODE_FREQ:
                    frequency = in.readUnsignedByte();
                    continue;
                case RdbFormat.OPCODE_AUX:
                    handler.aux(in.readString(), in.readString());
                    continue;
                case RdbFormat.OPCODE_SELECTDB:
                    handler.selectDatabase(in.readLength(Integer.MAX_VALUE));
                    continue;
                case RdbFormat.OPCODE_RESIZEDB:
                    handler.resizeDatabase(in.readLength(), in.readLength());
                    continue;
                case RdbFormat.OPCODE_SLOT_INFO:
                    in.readLength();
                    in.readLength();
                    in.readLength();
                    continue;
                case RdbFormat.OPCODE_FUNCTION_2:
                    handler.functionLibrary(in.readString());
                    continue;
                case RdbFormat.OPCODE_FUNCTION_PRE_GA:
                    throw in.corrupt("a function library in the format of a Redis 7.0 release candidate;"
                            + " load it into Redis 7.0 or later and save again");
                case RdbFormat.OPCODE_MODULE_AUX:
                    throw in.corrupt("module auxiliary data (the file was written by a server with a module"
                            + " loaded; modules are not supported)");
                case RdbFormat.OPCODE_EOF:
                    boolean verified = false;
                    if (version >= 5) {
                        long computed = in.checksum();
                        long stored = in.readLongLittleEndian();
                        if (stored != 0) {
                            if (stored != computed) {
                                throw new RdbFormatException("the RDB's checksum is wrong (stored "
                                        + Long.toHexString(stored) + ", computed " + Long.toHexString(computed) + ")");
                            }
                            verified = true;
                        }
                    }
                    return new Summary(version, keys, verified);
                default:
                    if (!RdbFormat.isValueType(type)) {
                        throw in.corrupt("an unknown record type " + type);
                    }
                    byte[] key = in.readString();
                    handler.key(key, type, expiresAt, idle, frequency, in);
                    keys++;
                    expiresAt = -1;
                    idle = -1;
                    frequency = -1;
            }
        }
    }

    /** Reads a whole RDB from a stream. */
    public static Summary read(InputStream stream, RdbRecordHandler handler) throws IOException {
        return read(new RdbInput(stream), handler);
    }
}
