package io.axle.cli.users;

import io.axle.common.AxleException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** How a command reads a password: never from its arguments, where shells and process lists keep it. */
public final class PasswordInput {
    @Option(
            names = "--password-stdin",
            description = "Read the password from the first line of standard input instead of prompting for it.")
    boolean fromStandardInput;

    /** The first line of standard input, or what the user types twice at a prompt that does not echo. */
    public String read(String username) {
        if (fromStandardInput) {
            return firstLineOfStandardInput();
        }
        Console console = System.console();
        if (console == null) {
            throw AxleException.invalidParameter(
                    "No terminal to prompt for the password on: pipe it in with --password-stdin.");
        }
        char[] first = console.readPassword("Password for %s: ", username);
        char[] second = console.readPassword("Repeat the password: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw AxleException.invalidParameter("The passwords did not match; nothing was changed.");
            }
            return new String(first);
        } finally {
            Arrays.fill(first == null ? new char[0] : first, '\0');
            Arrays.fill(second == null ? new char[0] : second, '\0');
        }
    }

    private static String firstLineOfStandardInput() {
        try {
            // not closed: standard input belongs to the process
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null || line.isEmpty()) {
                throw AxleException.invalidParameter("--password-stdin read no password from standard input.");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
