package io.statesys.console.topics;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.samples.Samples;
import io.statesys.console.session.ConsoleView;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.statesys.console.TemplateFormats;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;

import java.time.Instant;
import java.util.List;

/** Topics: the list, one topic's clients per state with drill-down, and its Unknown breakdown. */
@Path("/")
@ConsoleView
public class TopicPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance topics(Page page, TopicList view);
        static native TemplateInstance topic(Page page, TopicView view);
        static native TemplateInstance unknown(Page page, UnknownView view);
    }

    static final int PAGE_SIZE = 50;
    static final int LIST_SIZE = 200;

    @TemplateData
    public record TopicList(String asOf, Integer type, List<TopicStore.Topic> topics, TopicStore.Topic next) {
    }

    @TemplateData
    public record TopicView(String asOf, int topicType, String topicId, long clientsWithState, List<TopicStore.StateCount> states,
                            Integer state, String sort, int page, List<TopicStore.ClientInState> clients, boolean more) {
    }

    @TemplateData
    public record UnknownView(int topicType, String topicId, int days, TopicStore.Unknown counts, List<TopicStore.Example> neverReported,
                              List<TopicStore.Example> notSeen, List<TopicStore.Example> otherTopicsOnly) {
    }

    private final TopicStore store;
    private final Samples samples;

    public TopicPages(TopicStore store, Samples samples) {
        this.store = store;
        this.samples = samples;
    }

    @GET
    @Path("/console/topics")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> listHtml(@Context ContainerRequestContext request, @QueryParam("type") Integer type,
                                          @QueryParam("afterType") Integer afterType, @QueryParam("afterId") String afterId) {
        return topics(type, afterType, afterId).map(v -> Templates.topics(Page.of(request, "Topics", "topics", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/topics")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TopicList> listJson(@QueryParam("type") Integer type, @QueryParam("afterType") Integer afterType,
                                   @QueryParam("afterId") String afterId) {
        return topics(type, afterType, afterId);
    }

    /** The "go to topic" form. */
    @GET
    @Path("/console/topics/open")
    @Operation(hidden = true)
    public Response open(@QueryParam("t") Integer type, @QueryParam("i") String id) {
        if (type == null || id == null || id.isBlank()) {
            return io.statesys.console.signin.ConsoleHeaders.redirect("/console/topics").build();
        }
        return io.statesys.console.signin.ConsoleHeaders.redirect("/console/topics/" + type + "/" + TemplateFormats.urlEncode(id.strip())).build();
    }

    @GET
    @Path("/console/topics/{type}/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> topicHtml(@Context ContainerRequestContext request, @PathParam("type") int type, @PathParam("id") String id,
                                           @QueryParam("state") Integer state, @QueryParam("sort") @DefaultValue("client") String sort,
                                           @QueryParam("page") @DefaultValue("0") int page) {
        return topic(type, id, state, sort, page).map(v -> Templates.topic(Page.of(request, "Topic " + type + " / " + id, "topics", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/topics/{type}/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<TopicView> topicJson(@PathParam("type") int type, @PathParam("id") String id, @QueryParam("state") Integer state,
                                    @QueryParam("sort") @DefaultValue("client") String sort, @QueryParam("page") @DefaultValue("0") int page) {
        return topic(type, id, state, sort, page);
    }

    @GET
    @Path("/console/topics/{type}/{id}/unknown")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> unknownHtml(@Context ContainerRequestContext request, @PathParam("type") int type, @PathParam("id") String id,
                                             @QueryParam("days") @DefaultValue("30") int days) {
        return unknown(type, id, days).map(v -> Templates.unknown(Page.of(request, "Unknown for " + type + " / " + id, "topics",
                v.counts().asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/topics/{type}/{id}/unknown")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<UnknownView> unknownJson(@PathParam("type") int type, @PathParam("id") String id, @QueryParam("days") @DefaultValue("30") int days) {
        return unknown(type, id, days);
    }

    Uni<TopicList> topics(Integer type, Integer afterType, String afterId) {
        int fromType = afterType != null ? afterType : type != null ? type : Integer.MIN_VALUE;
        String fromId = afterType != null && afterId != null ? afterId : "";
        return store.topics(type, fromType, fromId, LIST_SIZE + 1).map(t -> list(type, t));
    }

    private static TopicList list(Integer type, List<TopicStore.Topic> t) {
        boolean more = t.size() > LIST_SIZE;
        List<TopicStore.Topic> shown = more ? t.subList(0, LIST_SIZE) : t;
        return new TopicList(Page.time(Instant.now()), type, shown, more ? shown.get(shown.size() - 1) : null);
    }

    Uni<TopicView> topic(int type, String id, Integer state, String sort, int page) {
        int p = Math.max(0, page);
        String s = TopicStore.SORTS.containsKey(sort) ? sort : "client";
        Uni<List<TopicStore.ClientInState>> clients = state == null ? Uni.createFrom().item(List.of())
                : store.inState(type, id, state, s, PAGE_SIZE + 1, p * PAGE_SIZE);
        return Uni.combine().all().unis(store.summary(type, id), clients).asTuple().map(t -> {
            List<TopicStore.ClientInState> c = t.getItem2();
            boolean more = c.size() > PAGE_SIZE;
            long total = t.getItem1().stream().mapToLong(TopicStore.StateCount::clients).sum();
            return new TopicView(Page.time(Instant.now()), type, id, total, t.getItem1(), state, s, p, more ? c.subList(0, PAGE_SIZE) : c, more);
        });
    }

    Uni<UnknownView> unknown(int type, String id, int days) {
        if (days < 1 || days > 3650) {
            throw ApiException.badRequest("invalid_days", "days: 1 to 3650");
        }
        return samples.latest().chain(latest -> {
            List<TopicStore.Example> neverExamples = new java.util.ArrayList<>();
            latest.ifPresent(l -> l.neverExamples().forEach(o -> {
                io.vertx.core.json.JsonObject e = (io.vertx.core.json.JsonObject) o;
                neverExamples.add(new TopicStore.Example(e.getString("clientId"), null, e.getString("netbiosName"), null));
            }));
            return Uni.combine().all().unis(store.unknown(type, id, days, latest.map(l -> l.sample().neverReported()).orElse(0L)),
                            store.unknownExamples(type, id, days, true), store.unknownExamples(type, id, days, false))
                    .asTuple().map(t -> new UnknownView(type, id, days, t.getItem1(), neverExamples, t.getItem2(), t.getItem3()));
        });
    }
}
