package io.statesys.relay.registration;

import io.statesys.service.ingress.SmallBodyLimit;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A registration's body is read before the resource sees it, and no further than
 * {@link Registrations#MAX_BODY_BYTES}: an anonymous caller cannot make the relay take in the
 * generic 16 MiB only to refuse it afterwards.
 */
@ApplicationScoped
class RegistrationBodies {
    void install(@Observes Router router, SmallBodyLimit limit) {
        router.route(HttpMethod.POST, RegistrationResource.PATH).order(SmallBodyLimit.order()).handler(limit.reader(
                Registrations.MAX_BODY_BYTES, 400, "invalid_registration", "body over " + Registrations.MAX_BODY_BYTES + " bytes"));
    }
}
