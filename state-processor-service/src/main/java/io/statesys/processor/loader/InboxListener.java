package io.statesys.processor.loader;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.statesys.schema.InboxChannel;
import io.vertx.mutiny.core.Vertx;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.database.DatabaseTls;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * LISTENs on the inbox channel the relay NOTIFYs after its commits (debounced, see the relay's
 * {@code InboxSignal}), and wakes the loaders, so a report is loaded within milliseconds of its
 * commit rather than at the next inbox poll.
 */
@ApplicationScoped
public class InboxListener {
    private static final Logger LOG = Logger.getLogger(InboxListener.class);

    private final Vertx vertx;
    private final Loader loader;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private final StatesysConfig config;
    private PgSubscriber subscriber;
    private volatile boolean stopped;

    public InboxListener(Vertx vertx, Loader loader,
                         @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                         @ConfigProperty(name = "quarkus.datasource.username") String user,
                         @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                         StatesysConfig config) {
        this.config = config;
        this.vertx = vertx;
        this.loader = loader;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void onStart(@Observes StartupEvent ev) {
        PgConnectOptions options = DatabaseTls.connectOptions(url, user, password.orElse(null), config.db());
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(InboxChannel.NAME).handler(payload -> loader.wakeup().signal());
        connect();
    }

    private void connect() {
        subscriber.connect().subscribe().with(
                ok -> {
                    LOG.infof("listening on %s", InboxChannel.NAME);
                    loader.wakeup().signal();
                },
                err -> {
                    if (!stopped) {
                        LOG.warnf("cannot LISTEN on %s yet (%s); inbox polling covers until it can", InboxChannel.NAME, err.toString());
                        vertx.setTimer(5000, id -> connect());
                    }
                });
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }
}
