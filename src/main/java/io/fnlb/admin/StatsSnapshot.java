package io.fnlb.admin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A copy of the call statistics of the last minute.
 *
 * @param takenAt when the copy was taken; the second it falls in is still filling
 * @param seconds the non-empty (second, node, function) entries, oldest second first
 */
public record StatsSnapshot(Instant takenAt, List<SecondStats> seconds) {

    /** Copies the list. */
    public StatsSnapshot {
        requireNonNull(takenAt, "takenAt");
        seconds = List.copyOf(seconds);
    }
}
