package io.statesys.sim;

import io.statesys.sim.simulate.EnrolmentTokenRequest;
import picocli.CommandLine.Option;

import java.net.URI;

/** How a command's clients get approved when they register: a given enrolment token, or one made with the admin token. */
public final class EnrolmentOptions {
    @Option(names = "--enrolment-token", description = "enrolment token the clients register with (approved at once)")
    String enrolmentToken;

    @Option(names = "--admin-token", description = "admin token: an enrolment token is created at --resync for this run")
    String adminToken;

    @Option(names = "--resync", defaultValue = "http://127.0.0.1:8084", description = "resync service, for --admin-token (default ${DEFAULT-VALUE})")
    URI resync;

    /** The enrolment token to present, or null (clients then stay pending unless approval is auto). */
    public String token() {
        return enrolmentToken != null ? enrolmentToken : adminToken != null ? EnrolmentTokenRequest.create(resync, adminToken) : null;
    }
}
