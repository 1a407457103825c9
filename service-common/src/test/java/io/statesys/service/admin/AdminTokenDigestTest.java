package io.statesys.service.admin;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service may hold the admin token or only its SHA-256; either way admin calls compare digests. */
class AdminTokenDigestTest {
    /** sha256sum of "secret". */
    private static final String SECRET_SHA256 = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

    @Test
    void theTokenAndItsDigestGiveTheSameVerifier() {
        byte[] fromToken = AdminTokenFilter.digestOf(Optional.of("secret"), Optional.empty()).orElseThrow();
        byte[] fromDigest = AdminTokenFilter.digestOf(Optional.empty(), Optional.of(SECRET_SHA256.toUpperCase())).orElseThrow();
        assertThat(HexFormat.of().formatHex(fromToken)).isEqualTo(SECRET_SHA256);
        assertThat(fromDigest).isEqualTo(fromToken);
    }

    @Test
    void neitherSetOrBlankMeansAdminCallsAreRefused() {
        assertThat(AdminTokenFilter.digestOf(Optional.empty(), Optional.empty())).isEmpty();
        assertThat(AdminTokenFilter.digestOf(Optional.of(" "), Optional.of(""))).isEmpty();
    }

    @Test
    void aDigestThatIsNotSixtyFourHexDigitsStopsTheStart() {
        assertThatThrownBy(() -> AdminTokenFilter.digestOf(Optional.empty(), Optional.of("secret")))
                .hasMessageContaining("64 hex digits");
    }
}
