package dev.supaqueue.admin;

import java.util.Objects;

/**
 * Where a bulk action stands after a committed batch.
 *
 * @param action    the action, e.g. {@code "move"}
 * @param processed messages looked at so far (the selected ones handled by the committed batches)
 * @param affected  messages changed so far
 * @param expected  how many messages the selection holds: exact for an id snapshot, a capped count (see
 *                  {@link AdminOptions#countCap()}) taken at the start for a {@code msg_id} bound
 * @param batches   batches committed so far
 */
public record ActionProgress(String action, long processed, long affected, Count expected, int batches) {

    public ActionProgress {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(expected, "expected");
    }
}
