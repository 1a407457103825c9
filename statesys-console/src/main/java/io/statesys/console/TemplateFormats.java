package io.statesys.console;

import io.quarkus.qute.TemplateExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small formatting helpers the console's templates call ({@code {value.urlEncode}}). */
@TemplateExtension
public final class TemplateFormats {
    private TemplateFormats() {
    }

    /** A path segment or query value (topic ids may hold anything). */
    public static String urlEncode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
