package io.statesys.processor.loader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** User parameters travel to Postgres as a JSON array text (a jsonb column keeps their order). */
@ApplicationScoped
public class UserParamsJson {
    private final ObjectMapper mapper;

    public UserParamsJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(List<String> params) {
        if (params.isEmpty()) {
            return "[]";
        }
        try {
            return mapper.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write user parameters", e);
        }
    }
}
