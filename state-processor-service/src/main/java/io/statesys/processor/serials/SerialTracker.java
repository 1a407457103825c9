package io.statesys.processor.serials;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client's serial-number bookkeeping. What has been received is exactly
 * {@code [lowest, highest]} minus the missing ranges, so a duplicate is recognised without keeping
 * every serial: a serial inside that span and outside every range was received before.
 * <ul>
 * <li>The first serial ever seen is the baseline: no gap before it.</li>
 * <li>A serial above highest+1 opens {@code [highest+1, serial-1]}; one below the lowest opens
 * {@code [serial+1, lowest-1]} (a late message from before the baseline).</li>
 * <li>A late arrival inside a range shrinks or splits it (both parts keep the detection time);
 * a range that empties disappears; ranges never overlap.</li>
 * <li>Resync complete at serial S clears every range below S: the client has just resent its whole
 * cache renumbered, so those messages are superseded.</li>
 * </ul>
 */
public final class SerialTracker {
    /** Stored lowest/highest of a client that has no message yet. */
    public static final long NONE = -1;

    private long lowest;
    private long highest;
    private long messages;
    private long duplicates;
    private final TreeMap<Long, MissingRange> ranges = new TreeMap<>();
    private boolean rangesChanged;
    private int gapsOpened;
    private int gapsClosed;

    public SerialTracker(long lowest, long highest, long messages, long duplicates, Collection<MissingRange> ranges) {
        this.lowest = lowest;
        this.highest = highest;
        this.messages = messages;
        this.duplicates = duplicates;
        for (MissingRange r : ranges) {
            this.ranges.put(r.first(), r);
        }
    }

    public static SerialTracker empty() {
        return new SerialTracker(NONE, NONE, 0, 0, List.of());
    }

    /** Records one arriving serial; false when it was received before (a duplicate changes nothing else). */
    public boolean receive(long serial, Instant now) {
        if (lowest == NONE) {
            lowest = serial;
            highest = serial;
            messages++;
            return true;
        }
        if (serial > highest) {
            if (serial > highest + 1) {
                open(highest + 1, serial - 1, now);
            }
            highest = serial;
            messages++;
            return true;
        }
        if (serial < lowest) {
            if (serial < lowest - 1) {
                open(serial + 1, lowest - 1, now);
            }
            lowest = serial;
            messages++;
            return true;
        }
        Map.Entry<Long, MissingRange> e = ranges.floorEntry(serial);
        if (e == null || !e.getValue().contains(serial)) {
            duplicates++;
            return false;
        }
        MissingRange r = e.getValue();
        ranges.remove(r.first());
        if (r.first() <= serial - 1) {
            ranges.put(r.first(), new MissingRange(r.first(), serial - 1, r.detectedAt()));
        }
        if (serial + 1 <= r.last()) {
            ranges.put(serial + 1, new MissingRange(serial + 1, r.last(), r.detectedAt()));
        }
        if (r.size() == 1) {
            gapsClosed++;
        }
        rangesChanged = true;
        messages++;
        return true;
    }

    /** The client resent its cache and finished at {@code serial}: everything missing below it is superseded. */
    public void resyncCompleted(long serial) {
        // serial itself was just received, so no range straddles it: every range starting below it ends below it
        while (!ranges.isEmpty() && ranges.firstKey() < serial) {
            ranges.pollFirstEntry();
            gapsClosed++;
            rangesChanged = true;
        }
    }

    private void open(long first, long last, Instant now) {
        ranges.put(first, new MissingRange(first, last, now));
        gapsOpened++;
        rangesChanged = true;
    }

    public long lowest() {
        return lowest;
    }

    public long highest() {
        return highest;
    }

    public long messages() {
        return messages;
    }

    public long duplicates() {
        return duplicates;
    }

    public List<MissingRange> ranges() {
        return new ArrayList<>(ranges.values());
    }

    public boolean rangesChanged() {
        return rangesChanged;
    }

    public int gapsOpened() {
        return gapsOpened;
    }

    public int gapsClosed() {
        return gapsClosed;
    }
}
