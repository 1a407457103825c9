package io.statesys.testing;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;


/**
 * The cheap layer under the Quarkus tests: a fresh database on the real local Postgres, migrated
 * as the services migrate it, with a reactive pool — for testing a store's statements without
 * booting a service. Each test class (or test) makes its own, so isolation is by database, not by a
 * Quarkus restart; {@link #close()} drops it.
 */
public final class MigratedDatabase implements AutoCloseable {
    private final String name;
    private final Vertx vertx;
    private final Pool pool;

    private MigratedDatabase(String name, Vertx vertx, Pool pool) {
        this.name = name;
        this.vertx = vertx;
        this.pool = pool;
    }

    /** A new database at the schema's latest version, for site {@code S01}. */
    public static MigratedDatabase create() {
        String name = FreshDatabase.create();
        SchemaMigrations.of(FreshDatabase.jdbcUrl(name), FreshDatabase.user(), FreshDatabase.password(), "S01").load().migrate();
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions().setHost(FreshDatabase.host()).setPort(Integer.parseInt(FreshDatabase.port()))
                        .setDatabase(name).setUser(FreshDatabase.user()).setPassword(FreshDatabase.password()))
                .using(vertx).build();
        return new MigratedDatabase(name, vertx, pool);
    }

    public String name() {
        return name;
    }

    /** The reactive pool a store takes, as the services' is. */
    public Pool pool() {
        return pool;
    }

    /** Runs statements to seed a test's data. */
    public void sql(String... statements) {
        for (String s : statements) {
            pool.query(s).execute().await().indefinitely();
        }
    }

    @Override
    public void close() {
        pool.close().await().indefinitely();
        vertx.close().await().indefinitely();
        FreshDatabase.drop(name);
    }
}
