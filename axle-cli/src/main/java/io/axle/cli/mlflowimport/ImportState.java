package io.axle.cli.mlflowimport;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.axle.common.AxleException;
import io.axle.common.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an import has copied so far, kept in a JSON file that is replaced whole (write, sync, rename) after each unit,
 * so that a crash leaves either the state before the unit or the state after it, never half a file. A re-run reads
 * it and continues where the last one stopped.
 */
final class ImportState {
    private static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** A source experiment's counterpart; done once all its runs are and its lifecycle stage is copied. */
    record Experiment(String targetId, boolean done) {
        Experiment {
            requireNonNull(targetId, "targetId is null");
        }
    }

    /** A source run's counterpart and how far its copy got: params, tags, metrics and inputs; artifacts; the end. */
    record Run(String targetId, boolean dataDone, boolean artifactsDone, boolean done) {
        Run {
            requireNonNull(targetId, "targetId is null");
        }
    }

    /** A source model version's counterpart; done once its stage is set too. */
    record Version(String targetVersion, boolean done) {
        Version {
            requireNonNull(targetVersion, "targetVersion is null");
        }
    }

    /** A registered model: created on the target, its versions by source version number, done once aliased. */
    record Model(boolean created, Map<String, Version> versions, boolean done) {
        Model {
            // in version order in the file, for a reader
            versions = versions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        }
    }

    /** The file's content. */
    record Document(
            int format,
            String source,
            String target,
            Map<String, Experiment> experiments,
            Map<String, Run> runs,
            Map<String, Model> models) {
        Document {
            requireNonNull(source, "source is null");
            requireNonNull(target, "target is null");
            experiments = experiments == null ? Map.of() : experiments;
            runs = runs == null ? Map.of() : runs;
            models = models == null ? Map.of() : models;
        }
    }

    private final Path file;
    private final String source;
    private final String target;
    private final Map<String, Experiment> experiments;
    private final Map<String, Run> runs;
    private final Set<String> targetRunIds;
    private final Map<String, Model> models;

    private ImportState(Path file, Document document) {
        this.file = requireNonNull(file, "file is null");
        this.source = document.source();
        this.target = document.target();
        this.experiments = new LinkedHashMap<>(document.experiments());
        this.runs = new LinkedHashMap<>(document.runs());
        this.targetRunIds = new HashSet<>();
        runs.values().forEach(run -> targetRunIds.add(run.targetId()));
        this.models = new LinkedHashMap<>(document.models());
    }

    /** The state in {@code file}, or a fresh one where there is none; a file of another import is refused. */
    static ImportState open(Path file, String source, String target) {
        if (!Files.exists(file)) {
            return new ImportState(file, new Document(FORMAT, source, target, Map.of(), Map.of(), Map.of()));
        }
        Document document;
        try {
            document = MAPPER.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            throw AxleException.invalidParameter("The state file " + file + " is not an import state ("
                    + e.getOriginalMessage() + "): name another with --state-file");
        } catch (IOException e) {
            throw new AxleException(ErrorCode.IO_ERROR, "Cannot read the state file " + file + ": " + e, e);
        }
        if (document.format() != FORMAT) {
            throw AxleException.invalidParameter("The state file " + file + " has format " + document.format()
                    + ", this axle reads format " + FORMAT + ": name another with --state-file");
        }
        if (!document.source().equals(source) || !document.target().equals(target)) {
            throw AxleException.invalidParameter("The state file " + file + " belongs to the import from "
                    + document.source() + " into " + document.target() + ", not from " + source + " into " + target
                    + ": name another with --state-file, or delete it to start over");
        }
        return new ImportState(file, document);
    }

    Path file() {
        return file;
    }

    Optional<Experiment> experiment(String sourceId) {
        return Optional.ofNullable(experiments.get(sourceId));
    }

    void put(String sourceId, Experiment experiment) {
        experiments.put(sourceId, experiment);
        save();
    }

    Optional<Run> run(String sourceId) {
        return Optional.ofNullable(runs.get(sourceId));
    }

    void put(String sourceId, Run run) {
        runs.put(sourceId, run);
        targetRunIds.add(run.targetId());
        save();
    }

    /** Whether a target run is the copy of some source run this state knows. */
    boolean isCopy(String targetRunId) {
        return targetRunIds.contains(targetRunId);
    }

    Optional<Model> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    void put(String name, Model model) {
        models.put(name, model);
        save();
    }

    private void save() {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Document document = new Document(FORMAT, source, target, experiments, runs, models);
        try {
            ByteBuffer bytes = ByteBuffer.wrap(MAPPER.writeValueAsBytes(document));
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AxleException(
                    ErrorCode.IO_ERROR, "Cannot write the state file " + file + ": " + e.getMessage(), e);
        }
    }
}
