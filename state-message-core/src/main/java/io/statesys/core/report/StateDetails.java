package io.statesys.core.report;

import java.util.Objects;

/**
 * A message's {@code StateDetails}: custom data of any size (a CMPivot result is base64 of a UTF-16
 * XML document, often over 80 KB), kept verbatim. {@code type} is the sender's format identifier.
 */
public record StateDetails(int type, String data) {
    public StateDetails {
        Objects.requireNonNull(data, "data");
    }
}
