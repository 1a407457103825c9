package io.statesys.service.identity;

/** The signature fields are malformed, do not match the body, or do not verify. */
public class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String detail) {
        super(detail);
    }
}
