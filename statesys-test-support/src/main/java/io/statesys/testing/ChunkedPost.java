package io.statesys.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A report POSTed without Content-Length (chunked), as a streaming client sends it. */
public final class ChunkedPost {
    private ChunkedPost() {
    }

    public static HttpResponse<String> send(URI target, String contentType, byte[] body) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(target).header("Content-Type", contentType)
                                // an InputStream publisher has no length: the client sends chunks
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
