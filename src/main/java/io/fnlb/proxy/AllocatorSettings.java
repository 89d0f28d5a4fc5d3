package io.fnlb.proxy;

import java.util.Map;

/**
 * The Netty buffer allocator fnlb runs on, however the JVM was started ({@code bin/fnlb},
 * {@code java -jar}, a test's child process). Netty reads these system properties once, when its
 * buffer classes load, so {@link #applyDefaults()} runs first thing in {@code main}; a property
 * already given with {@code -D} wins.
 *
 * <p>The pooled allocator, with buffers up to 64 KiB kept in each event loop's cache. Netty 4.2's
 * default, the adaptive allocator, treats any heap of at most 512 MiB as "low memory" although
 * fnlb's buffers are direct: every thread then shares one set of magazines behind locks, and
 * buffers above 16 KiB (each read of a 64 KiB body) are one-off mallocs. The pooled allocator on
 * its own caches buffers up to 32 KiB, and 64 KiB bodies then cost 129 instead of 77 us of CPU
 * per request. With the cache at 64 KiB ({@code bench/matrix.sh -r 3 -c "64 1024"}, against the
 * adaptive allocator, interleaved): CPU per request -4.6 % and -2.4 % at 64 connections (100 B,
 * 64 KiB bodies), +1.9 % and -1.6 % at 1,024, and the highest peak RSS 2.6-9.7 MiB lower in every
 * cell. The test suite's JVM gets the same properties from the build ({@code pom.xml}).
 *
 * <p>No {@code Recycler}: Netty keeps the objects around buffers (pooled buffers, their slices,
 * the entries of a channel's outbound buffer) in per-thread pools, and taking one and giving it
 * back costs a concurrent queue operation each. Allocated anew, they die young on a heap whose
 * young collections find almost nothing alive. Measured at 64 connections / 100 B (4 interleaved
 * pairs, 10 s after 10 s of warm-up): the event loops' user CPU per request 5.5 % lower, relative
 * to what wrk and nginx took per request in the same run, and the garbage collector's share no
 * more than 0.1 us per request.
 */
public final class AllocatorSettings {

    static final Map<String, String> DEFAULTS = Map.of(
            "io.netty.allocator.type", "pooled",
            "io.netty.allocator.maxCachedBufferCapacity", "65536",
            "io.netty.recycler.maxCapacityPerThread", "0");

    private AllocatorSettings() {
    }

    /** Sets each default that the command line did not set. */
    public static void applyDefaults() {
        DEFAULTS.forEach((name, value) -> {
            if (System.getProperty(name) == null) {
                System.setProperty(name, value);
            }
        });
    }
}
