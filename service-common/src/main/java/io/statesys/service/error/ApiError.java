package io.statesys.service.error;

/** The JSON body of every 4xx/5xx answer: {@code {"error":"invalid_report","detail":"<what and where>"}}. */
public record ApiError(String error, String detail) {
}
