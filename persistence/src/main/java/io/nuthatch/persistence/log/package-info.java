/**
 * The append-only log: {@link io.nuthatch.persistence.log.AppendOnlyLog} writes the segment being
 * appended to and runs the fsync policy; {@link io.nuthatch.persistence.log.SegmentReader} reads a
 * segment back batch by batch, each checked before any of its records is handed on;
 * {@link io.nuthatch.persistence.log.SegmentCheck} is {@code nuthatch-server --check-aof}. The
 * bytes on disk are described in {@link io.nuthatch.persistence.log.LogFormat}: Redis's AOF (RESP
 * commands, SELECT, MULTI/EXEC) plus a {@code #C:<crc32c>} annotation line per write(2), which
 * Redis's own tools skip as they skip {@code #TS:}.
 *
 * <p>Design decisions, measured or reasoned:
 * <ul>
 * <li>One write(2) per turn of the engine, not per command: a pipeline of 16 SETs costs one
 *     system call and one checksum line (13 bytes), as Redis writes its AOF buffer once per event
 *     loop iteration.</li>
 * <li>A checksum per batch, not per record or per segment: per record would double the size of a
 *     small SET's record; per segment could not say where damage starts or tell a torn tail from
 *     damage in the middle. A batch is also the unit a crash tears: write(2) either returned
 *     (and the replies of its units may have left) or did not (and none left).</li>
 * <li>A failed write is undone (truncated back) and kept in memory; the units it held count as
 *     not yet safe, so their replies wait, and the server refuses new writes until a retry
 *     succeeds. Nothing acknowledged is ever only in memory.</li>
 * </ul>
 *
 * <p>This package must never know of the server, Netty or command semantics (beyond RESP framing).
 */
package io.nuthatch.persistence.log;
