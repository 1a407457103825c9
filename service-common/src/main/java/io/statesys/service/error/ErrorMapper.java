package io.statesys.service.error;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one exception mapper of every service: see {@link ErrorAnswers}. */
public class ErrorMapper {
    @ServerExceptionMapper
    public Response map(Throwable e) {
        return ErrorAnswers.of(e);
    }
}
