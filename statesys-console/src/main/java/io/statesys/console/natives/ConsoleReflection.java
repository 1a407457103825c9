package io.statesys.console.natives;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The console's JSON twins for a native build: each view is a record nested in its page or store
 * class, and registering the enclosing class registers every record nested in it (at any depth).
 * {@code ConsoleReflectionTest} fails when a class holding a view is missing here.
 */
@RegisterForReflection(targets = {
        io.statesys.console.Page.class,
        io.statesys.console.activity.ActivityPages.class,
        io.statesys.console.audit.AuditPages.class,
        io.statesys.console.audit.ConsoleAudit.class,
        io.statesys.console.clients.ClientPages.class,
        io.statesys.console.clients.ClientStore.class,
        io.statesys.console.fsp.DeadLetterStore.class,
        io.statesys.console.fsp.FspPages.class,
        io.statesys.console.identity.IdentityPages.class,
        io.statesys.console.identity.IdentityStore.class,
        io.statesys.console.overview.Chart.class,
        io.statesys.console.overview.Overview.class,
        io.statesys.console.overview.OverviewStore.class,
        io.statesys.console.refused.RefusedPages.class,
        io.statesys.console.refused.RefusedStore.class,
        io.statesys.console.resyncs.ResyncPages.class,
        io.statesys.console.resyncs.ResyncStore.class,
        io.statesys.console.samples.Samples.class,
        io.statesys.console.services.ServiceProbe.class,
        io.statesys.console.session.ConsoleSession.class,
        io.statesys.console.sites.SitePages.class,
        io.statesys.console.topics.TopicPages.class,
        io.statesys.console.topics.TopicStore.class})
public final class ConsoleReflection {
    private ConsoleReflection() {
    }
}
