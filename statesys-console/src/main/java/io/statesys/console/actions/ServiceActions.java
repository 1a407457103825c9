package io.statesys.console.actions;

import io.statesys.console.services.ServiceProbe;
import io.smallrye.mutiny.Uni;
import io.statesys.console.audit.ConsoleAudit;
import io.statesys.console.actions.ActionGuard;
import io.statesys.console.session.ConsoleSession;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * A console action another service carries out with its own endpoint (the FSP's dead letters, the
 * processor's invalid records): the operator is sent back to the page with what the service
 * answered, and the action is audited, with the messages it moved, once the service has done it.
 */
@ApplicationScoped
public class ServiceActions {
    private final ConsoleAudit audit;

    public ServiceActions(ConsoleAudit audit) {
        this.audit = audit;
    }

    /**
     * @param target what was acted on, as the audit names it ("dead letter 7")
     * @param done   the action as the outcome says it ("re-queued")
     * @param action the audit's action name ("requeue-dead-letter")
     */
    public Uni<Response> carryOut(ConsoleSession who, Uni<ServiceProbe.Answer> call, String service, String page, String target,
                                  String done, String action) {
        String subject = Character.toUpperCase(target.charAt(0)) + target.substring(1);
        return call.chain(answer -> {
            if (answer.status() != 200) {
                return Uni.createFrom().item(ActionGuard.done(page, subject + " not " + done + ": " + answer.why(service)));
            }
            JsonObject o = answer.json();
            int messages = o == null ? 0 : o.getInteger("messages", 0);
            return audit.record(who, action, target, messages, null)
                    .map(v -> ActionGuard.done(page, subject + " " + done + ": " + messages + " message(s)"));
        });
    }
}
