package io.axle.data.dvcfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.axle.data.repo.DataException;
import java.io.IOException;

/**
 * YAML read and written the way DVC writes its files: block style, no {@code ---}, strings unquoted unless YAML needs
 * the quotes, key order kept. Public so that {@code dvc.yaml} and {@code dvc.lock} code can share it.
 */
public final class DvcYaml {
    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            // DVC reads YAML 1.2 (ruamel): yes, no, on and off are words there, not the booleans of YAML 1.1
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build());

    private DvcYaml() {}

    /** Parses a YAML mapping; an empty document is an empty mapping. */
    public static ObjectNode parse(byte[] yaml, String name) {
        try {
            var node = MAPPER.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return MAPPER.createObjectNode();
            }
            if (!node.isObject()) {
                throw DataException.failed("'" + name + "' is not a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw DataException.failed("'" + name + "' is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("a YAML tree always serialises", e);
        }
    }

    public static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }
}
