package io.axle.server.tracking;

import java.util.List;
import java.util.random.RandomGenerator;

/** Generated run names in MLflow's {@code adjective-noun-123} form, for runs created without one. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of(
            "amber", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "curious", "daring", "deft", "eager",
            "fair", "fast", "fierce", "gentle", "glad", "grand", "happy", "hardy", "honest", "jolly", "keen", "kind",
            "lively", "lucky", "merry", "mighty", "nimble", "noble", "patient", "polite", "proud", "quick", "quiet",
            "rapid", "rare", "sharp", "shy", "silent", "sleek", "smooth", "solid", "spry", "steady", "stellar", "sunny",
            "swift", "tidy", "upbeat", "valiant", "vivid", "warm", "wise", "witty", "zesty");
    private static final List<String> NOUNS = List.of(
            "badger", "bear", "bee", "bison", "boar", "carp", "cat", "colt", "crane", "crow", "deer", "dove", "eagle",
            "eel", "falcon", "finch", "fox", "frog", "goat", "gull", "hare", "hawk", "heron", "horse", "ibis", "jay",
            "koala", "lark", "lemur", "lion", "lynx", "mink", "mole", "moose", "newt", "otter", "owl", "panda", "pike",
            "puma", "quail", "rabbit", "raven", "robin", "seal", "shark", "sloth", "snail", "sparrow", "swan", "tern",
            "tiger", "trout", "wasp", "whale", "wolf", "wren", "yak", "zebra");

    private RunNames() {}

    static String generate(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
                + random.nextInt(1000);
    }
}
