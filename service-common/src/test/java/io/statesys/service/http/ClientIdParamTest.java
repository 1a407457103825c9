package io.statesys.service.http;

import io.statesys.service.error.ApiError;
import io.statesys.service.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClientIdParamTest {

    @Test
    void readsTheGuidFormAndTheBareUuidCaseInsensitively() {
        ClientIdParam a = ClientIdParam.fromString("guid:2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71");
        ClientIdParam b = ClientIdParam.fromString("2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71");
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).isEqualTo("GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71");
    }

    @Test
    void aBadValueIs400InvalidClientId() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ClientIdParam.fromString("GUID:not-a-uuid"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(((ApiError) e.getResponse().getEntity()).error()).isEqualTo("invalid_client_id");
    }
}
