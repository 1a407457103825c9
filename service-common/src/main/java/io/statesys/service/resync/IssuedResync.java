package io.statesys.service.resync;

import java.time.Instant;

/**
 * A resync request and the site that issued it (the client's site), as the API and the console show
 * it. {@code orderedDown}: forced at this site for a client of a descendant, so {@code requestId} is
 * the order's id here; the request the client's site issues for it replicates up and is listed by
 * {@code /requests}.
 */
public record IssuedResync(String siteCode, long requestId, String clientId, Instant issuedAt, Instant firstIssuedAt,
                           int reissueCount, String reason, boolean orderedDown) {
}
