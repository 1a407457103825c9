package io.statesys.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI schemas of the CloudNativePG CRDs (vendored under test resources, cloudnative-pg/),
 * as the API server applies them with strict field validation: every field the object carries must
 * be declared (an object schema that lists properties and does not preserve unknown fields takes no
 * others), with its type, enum and required members.
 */
final class CrdSchemas {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> FILES = Map.of(
            "Cluster", "postgresql.cnpg.io_clusters.yaml",
            "ScheduledBackup", "postgresql.cnpg.io_scheduledbackups.yaml",
            "Backup", "postgresql.cnpg.io_backups.yaml");
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private CrdSchemas() {
    }

    /** What the operator's schema finds wrong with this object; empty when it is valid. */
    static List<String> problems(String yamlDocument) {
        try {
            JsonNode object = YAML.readTree(yamlDocument);
            String apiVersion = object.path("apiVersion").asText();
            String kind = object.path("kind").asText();
            if (!FILES.containsKey(kind)) {
                return List.of("no vendored CRD for " + apiVersion + " " + kind);
            }
            JsonSchema schema = SCHEMAS.computeIfAbsent(apiVersion + "/" + kind, k -> load(kind, apiVersion.substring(apiVersion.indexOf('/') + 1)));
            return schema.validate(object).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load(String kind, String version) {
        try (InputStream in = CrdSchemas.class.getResourceAsStream("/cloudnative-pg/" + FILES.get(kind))) {
            JsonNode crd = YAML.readTree(in);
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    JsonNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                    closeObjects(schema);
                    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
                }
            }
            throw new AssertionError("the " + kind + " CRD has no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strict field validation: an object schema that names its properties takes no others. */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                closeObjects(it.next());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(CrdSchemas::closeObjects);
        }
    }
}
