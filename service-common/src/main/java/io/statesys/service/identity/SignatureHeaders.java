package io.statesys.service.identity;

import jakarta.ws.rs.HeaderParam;

/** The signature request fields as a JAX-RS bean parameter ({@code @BeanParam SignatureHeaders}). */
public class SignatureHeaders {
    @HeaderParam(SignatureFields.CONTENT_DIGEST)
    String contentDigest;

    @HeaderParam(SignatureFields.SIGNATURE_INPUT)
    String signatureInput;

    @HeaderParam(SignatureFields.SIGNATURE)
    String signature;

    public SignatureFields fields() {
        return new SignatureFields(contentDigest, signatureInput, signature);
    }
}
