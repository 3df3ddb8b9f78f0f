package io.axle.server.registry;

import io.axle.common.AxleException;
import io.axle.server.tracking.Tag;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The limits MLflow's registry puts on names, aliases, tags and descriptions, plus what storage paths need. */
public final class RegistryValidation {
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_ALIAS_LENGTH = 255;
    static final int MAX_TAG_KEY_LENGTH = 250;
    static final int MAX_TAG_VALUE_LENGTH = 5000;
    static final int MAX_DESCRIPTION_LENGTH = 5000;
    static final int MAX_SOURCE_LENGTH = 4000;
    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$");
    private static final Pattern VERSION_LIKE = Pattern.compile("^v\\d+$");

    private RegistryValidation() {}

    static void modelName(String name) {
        if (name.isEmpty()) {
            throw AxleException.invalidParameter("Registered model name cannot be empty.");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw AxleException.invalidParameter("Registered model name is " + name.length()
                    + " characters long; the limit is " + MAX_NAME_LENGTH + ".");
        }
        if (name.contains("/") || name.contains(":")) {
            throw AxleException.invalidParameter(
                    "Invalid model name: '" + printable(name) + "'. Names cannot contain '/' or ':'.");
        }
        // the name is a directory of registry storage: these would leave it or cannot be stored
        if (name.equals(".")
                || name.equals("..")
                || name.chars().anyMatch(character -> "\\#?%".indexOf(character) >= 0)
                || hasControlCharacter(name)) {
            throw AxleException.invalidParameter("Invalid model name: '" + printable(name)
                    + "'. Names cannot be '.' or '..' or contain \\ # ? % or control characters.");
        }
    }

    public static void alias(String alias) {
        if (alias.isEmpty()) {
            throw AxleException.invalidParameter("Missing value for required parameter 'alias'.");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            throw AxleException.invalidParameter(
                    "Alias is " + alias.length() + " characters long; the limit is " + MAX_ALIAS_LENGTH + ".");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw AxleException.invalidParameter("Invalid alias name: '" + printable(alias)
                    + "'. Names may only contain alphanumerics, underscores (_) and dashes (-).");
        }
        String lower = alias.toLowerCase(Locale.ROOT);
        if (VERSION_LIKE.matcher(lower).matches()) {
            throw AxleException.invalidParameter("Invalid alias name: '" + alias
                    + "'. Aliases cannot be of the form 'v<number>', which names versions.");
        }
        if (lower.equals("latest")) {
            throw AxleException.invalidParameter(
                    "Invalid alias name: '" + alias + "'. 'latest' is reserved for the latest version.");
        }
    }

    static void tag(Tag tag) {
        if (tag.key().isEmpty()) {
            throw AxleException.invalidParameter("Missing value for required parameter 'key'.");
        }
        if (tag.key().length() > MAX_TAG_KEY_LENGTH) {
            throw AxleException.invalidParameter(
                    "Tag key '" + printable(tag.key().substring(0, 40)) + "...' is "
                            + tag.key().length() + " characters long; the limit is " + MAX_TAG_KEY_LENGTH + ".");
        }
        if (tag.value().length() > MAX_TAG_VALUE_LENGTH) {
            throw AxleException.invalidParameter("Value of tag '" + printable(tag.key()) + "' is "
                    + tag.value().length() + " characters long; the limit is " + MAX_TAG_VALUE_LENGTH + ".");
        }
    }

    static void description(Optional<String> description) {
        description.ifPresent(text -> {
            if (text.length() > MAX_DESCRIPTION_LENGTH) {
                throw AxleException.invalidParameter("Description is " + text.length()
                        + " characters long; the limit is " + MAX_DESCRIPTION_LENGTH + ".");
            }
        });
    }

    static long version(String version) {
        try {
            long number = Long.parseLong(version.strip());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw AxleException.invalidParameter(
                "Model version must be a positive whole number, not '" + printable(version) + "'.");
    }

    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(character -> character < 0x20 || character == 0x7f);
    }

    static String printable(String text) {
        return io.axle.storage.BlobKey.printable(text);
    }
}
