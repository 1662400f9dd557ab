package dev.headroom.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * llm-d's published JSON Schema of the Benchmark Report v0.2.1 (bundled verbatim: resources
 * dev/headroom/results/llmd/README.md names its source and commit), as tests validate reports against it: draft
 * 2020-12 (the schema names none; llm-d's docs say 2020-12), formats asserted, so a timestamp must be a date-time.
 */
public final class BrSchema {

    private static final Schema SCHEMA = load();

    private BrSchema() {}

    private static Schema load() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        try (InputStream in = BrSchema.class.getResourceAsStream("llmd/br_v0_2_1_json_schema.json")) {
            if (in == null) throw new IllegalStateException("the bundled schema llmd/br_v0_2_1_json_schema.json is missing");
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about {@code report}, each as "location: message"; empty when it is valid. */
    public static List<String> errors(JsonNode report) {
        // The validator reads through Jackson 3; headroom's reports are Jackson 2 trees: hand it their JSON text.
        return SCHEMA.validate(report.toString(), InputFormat.JSON).stream().map(BrSchema::line).toList();
    }

    /** The complaints about the report in {@code file}. */
    public static List<String> errors(Path file) throws IOException {
        return errors(JsonMapper.builder().build().readTree(file.toFile()));
    }

    private static String line(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }
}
