package io.statesys.service.database;

import io.statesys.core.config.StatesysConfig;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS to the database ({@code statesys.db.ssl-mode}, {@code ssl-root-cert}). The pool and schema
 * migration take it from their Quarkus properties (META-INF/microprofile-config.properties); a
 * connection a service opens itself (the processor's LISTEN) takes it from here, so no connection
 * goes out in the clear while the others are verified.
 */
public final class DatabaseTls {
    private DatabaseTls() {
    }

    /** Stops a start whose TLS settings cannot work, with the reason (before any connection is tried). */
    public static void check(StatesysConfig.Db db) {
        if (db.sslMode() == StatesysConfig.DbSslMode.VERIFY_FULL) {
            String cert = db.sslRootCert().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "statesys.db.ssl-mode=verify-full needs statesys.db.ssl-root-cert (STATESYS_DB_SSL_ROOT_CERT): "
                            + "the PEM file of the CA that signed the database server's certificate"));
            if (!Files.isReadable(Path.of(cert))) {
                throw new IllegalStateException("statesys.db.ssl-root-cert: cannot read " + cert);
            }
        }
    }

    /**
     * Options for a connection a service opens itself, beside its pool: the pool's URL
     * ({@code quarkus.datasource.reactive.url}), the given role, and the same TLS.
     */
    public static PgConnectOptions connectOptions(String reactiveUrl, String user, String password, StatesysConfig.Db db) {
        PgConnectOptions o = PgConnectOptions.fromUri(reactiveUrl.replaceFirst("^vertx-reactive:", "")).setUser(user);
        if (password != null) {
            o.setPassword(password);
        }
        return apply(o, db);
    }

    public static PgConnectOptions apply(PgConnectOptions options, StatesysConfig.Db db) {
        if (db.sslMode() == StatesysConfig.DbSslMode.VERIFY_FULL) {
            options.setSslMode(SslMode.VERIFY_FULL).setHostnameVerificationAlgorithm("HTTPS")
                    .setPemTrustOptions(new PemTrustOptions().addCertPath(db.sslRootCert().orElseThrow()));
        } else {
            options.setSslMode(SslMode.DISABLE);
        }
        return options;
    }
}
