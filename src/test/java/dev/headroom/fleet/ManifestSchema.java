package dev.headroom.fleet;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes API's published schema (release 1.35, as fabric8 generates its model from it), cut to the kinds
 * fleet manifests use and made as strict as the API server's strict field validation by
 * {@code tools/kubernetes-schema.py}: unknown fields, missing required fields, values of the wrong type and kinds
 * headroom does not write are errors. The resource names its source repository, path and commit.
 */
final class ManifestSchema {

    static final String RESOURCE = "kubernetes-schema.json";

    private static final Schema SCHEMA = load();
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private ManifestSchema() {
    }

    private static Schema load() {
        try (InputStream in = ManifestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("no resource " + RESOURCE + " beside " + ManifestSchema.class);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the API server would refuse in {@code object} as the client sends it (its JSON); empty when valid. */
    static List<String> errors(HasMetadata object) {
        return messages(object.getKind() + " " + object.getMetadata().getName(),
                SCHEMA.validate(JSON.asJson(object), InputFormat.JSON));
    }

    /** What the API server would refuse in one object written as JSON; empty when valid. */
    static List<String> errorsOfJson(String json) {
        return messages("object", SCHEMA.validate(json, InputFormat.JSON));
    }

    /** The errors of every document of a YAML stream ({@code ---} between documents), each named by its index. */
    static List<String> errorsOfYamlStream(String yaml) {
        List<String> found = new ArrayList<>();
        int index = 0;
        for (String doc : documents(yaml)) {
            found.addAll(messages("document " + index++, SCHEMA.validate(doc, InputFormat.YAML)));
        }
        return found;
    }

    /** The documents of a YAML stream, blank ones left out. */
    static List<String> documents(String yaml) {
        return List.of(yaml.split("(?m)^---\\s*$")).stream().filter(d -> !d.isBlank()).toList();
    }

    private static List<String> messages(String what, List<Error> errors) {
        return errors.stream().map(e -> {
            String at = e.getInstanceLocation().toString();
            return what + " at " + (at.isEmpty() ? "/" : at) + ": " + e.getMessage();
        }).toList();
    }
}
