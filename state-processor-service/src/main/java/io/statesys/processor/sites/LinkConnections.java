package io.statesys.processor.sites;

import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.database.DatabaseTls;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The connection a link round runs on: with {@code statesys.site.link-user}, a connection of its own
 * as that role (the superuser creating subscriptions needs on PostgreSQL 15), so that the pool — and
 * every other service of the site — works as a role that only owns the schema; without it, one of the
 * pool's.
 */
@ApplicationScoped
class LinkConnections {
    private final Pool pool;
    private final Vertx vertx;
    private final Optional<PgConnectOptions> own;

    LinkConnections(Pool pool, Vertx vertx, StatesysConfig config,
                    @ConfigProperty(name = "quarkus.datasource.reactive.url") String url) {
        this.pool = pool;
        this.vertx = vertx;
        this.own = config.site().linkUser().filter(u -> !u.isBlank())
                .map(user -> DatabaseTls.connectOptions(url, user, config.site().linkPassword().orElse(""), config.db()));
    }

    Uni<? extends SqlConnection> open() {
        return own.<Uni<? extends SqlConnection>>map(o -> PgConnection.connect(vertx, o)).orElseGet(pool::getConnection);
    }
}
