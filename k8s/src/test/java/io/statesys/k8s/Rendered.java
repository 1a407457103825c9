package io.statesys.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A kustomization rendered by {@code kubectl kustomize} and parsed strictly into typed objects. */
final class Rendered {
    final List<HasMetadata> objects;

    private Rendered(List<HasMetadata> objects) {
        this.objects = objects;
    }

    static Path root() {
        return Path.of(System.getProperty("statesys.root", "..")).toAbsolutePath().normalize();
    }

    static Rendered kustomize(String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", root().resolve("k8s").resolve(dir).toString())
                .redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
        }
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    static Rendered parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            HasMetadata o = Serialization.unmarshal(doc);
            if (o instanceof GenericKubernetesResource g) {
                if (!g.getApiVersion().startsWith("postgresql.cnpg.io/")) {
                    throw new AssertionError("not a known Kubernetes kind: " + g.getApiVersion() + " " + g.getKind());
                }
                // an operator's object: its own CRD says what it may carry
                List<String> problems = CrdSchemas.problems(doc);
                if (!problems.isEmpty()) {
                    throw new AssertionError(g.getKind() + "/" + g.getMetadata().getName() + " does not fit CloudNativePG's CRD: " + problems);
                }
                objects.add(g);
                continue;
            }
            List<String> unknown = new ArrayList<>();
            unknownFields(o, o.getKind() + "/" + o.getMetadata().getName(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError("fields Kubernetes does not know: " + unknown);
            }
            objects.add(o);
        }
        return new Rendered(objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /**
     * The fabric8 model keeps fields it does not know in "additionalProperties" instead of failing;
     * any entry there is a misspelt or misplaced field, so it fails the validation here.
     */
    private static void unknownFields(Object o, String path, List<String> unknown) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(v, path + "." + m.getName().substring(3), unknown);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
