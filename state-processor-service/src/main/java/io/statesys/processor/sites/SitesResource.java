package io.statesys.processor.sites;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The site hierarchy as this site sees it (docs/api.md, "Site hierarchy"). */
@Path("/api/v1/sites")
@Produces(MediaType.APPLICATION_JSON)
public class SitesResource {
    private final SiteDirectory directory;

    public SitesResource(SiteDirectory directory) {
        this.directory = directory;
    }

    /** This site ({@code self}), its children and their descendants, with each link's status and lag. */
    @GET
    public Uni<List<SiteDirectory.Site>> sites() {
        return directory.sites();
    }
}
