package io.statesys.console.overview;

import io.statesys.console.services.ServiceProbe;
import io.quarkus.qute.TemplateData;

import java.util.List;

/** The overview page: is the state system healthy, is it backlogged, and since when. */
@TemplateData
public record Overview(String asOf, List<ServiceProbe.Health> services, Backlog backlog, Fsp fsp, long invalidRecords,
                       long refusedReports, long refusedLastHour, Resyncs resyncs, int chartHours, List<Chart> charts) {
    /**
     * The inbox now, and its rates over the last few minutes of samples: {@code secondsToEmpty} at the
     * current net drain (processed minus received), null while it is not shrinking.
     */
    @TemplateData
    public record Backlog(long reports, long messages, long oldestAgeSeconds, Double receivedPerSecond,
                          Double processedPerSecond, Long secondsToEmpty, String trend) {
    }

    /** The FSP as it answers for itself; {@code status} is {@code unreachable} when it does not. */
    @TemplateData
    public record Fsp(String status, Long queued, Long oldestQueuedAgeSeconds, Integer throttleMessages,
                      Long throttleIntervalSeconds, Long deadLetters, Long forwarded, String lastError) {
    }

    @TemplateData
    public record Resyncs(long outstanding, long reissued, long oldestAgeSeconds, long capHitsLastDay) {
    }
}
