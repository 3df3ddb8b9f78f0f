package io.axle.gpu.simulate;

import static java.util.Objects.requireNonNull;

import io.axle.common.AxleException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Replays placements on a fleet of equal GPUs: first every replica of every model, one after the other (each has
 * allocated before the next is placed), then rolling releases. In a release several models roll out at once; step k
 * starts the new k-th replica of each of them at the same moment, lets them allocate, then stops the old k-th
 * replicas (a surge of one replica per model). A GPU whose replicas then hold more than its memory is an OOM: the
 * newest replicas there crash, one OOM event each, and are placed again one by one.
 *
 * <p>What a policy knows decides whether it can OOM: the naive ones see only the memory that replicas have
 * allocated (NVML's live view), so replicas started in the same moment do not see each other; best-fit-decreasing
 * keeps a ledger of declared peaks that counts a replica from the moment it is placed.
 */
public final class Simulator {
    /**
     * @param count how many releases follow the first placement
     * @param modelsPerRelease how many models roll out at once in each release
     * @param memoryChange how much a new version's memory may differ from the old one's, e.g. 0.10 for ±10 %
     */
    public record Releases(int count, int modelsPerRelease, double memoryChange) {
        public Releases {
            if (count < 0 || modelsPerRelease < 1 || memoryChange < 0 || memoryChange >= 1) {
                throw AxleException.invalidParameter("Releases need a count of at least 0, at least 1 model per "
                        + "release and a memory change from 0 up to (not including) 1, not " + count + ", "
                        + modelsPerRelease + ", " + memoryChange);
            }
        }
    }

    private final Fleet fleet;
    private final Releases releases;
    private final long seed;
    private final long headroomBytes;

    public Simulator(Fleet fleet, Releases releases, long seed, long headroomBytes) {
        this.fleet = requireNonNull(fleet, "fleet is null");
        this.releases = requireNonNull(releases, "releases is null");
        this.seed = seed;
        if (headroomBytes < 0 || headroomBytes >= fleet.gpuBytes()) {
            throw AxleException.invalidParameter("The headroom must be at least 0 and less than a GPU's memory");
        }
        this.headroomBytes = headroomBytes;
    }

    /** The fewest GPUs that could hold every replica if memory could be split freely: no policy can use fewer. */
    public long lowerBound(List<ModelDemand> models) {
        long total = models.stream()
                .mapToLong(model -> model.replicas() * (model.bytes() + headroomBytes))
                .sum();
        return (total + fleet.gpuBytes() - 1) / fleet.gpuBytes();
    }

    public SimulationResult run(List<ModelDemand> models, SimulationPolicy policy) {
        return new Run(policy).simulate(models);
    }

    private static final class Gpu {
        long declared;
        long live;
        int replicas;
    }

    private static final class Replica {
        final String model;
        final long footprint;
        Gpu gpu;

        Replica(String model, long footprint) {
            this.model = model;
            this.footprint = footprint;
        }
    }

    private final class Run {
        private final SimulationPolicy policy;
        private final long capacity = fleet.gpuBytes();
        private final List<Gpu> gpus = new ArrayList<>();
        private final Map<String, List<Replica>> placed = new LinkedHashMap<>();
        private int cursor;
        private int used;
        private int peak;
        private int oomEvents;
        private int failures;
        private int rolled;
        private int withoutSurge;

        Run(SimulationPolicy policy) {
            this.policy = requireNonNull(policy, "policy is null");
            fleet.count().ifPresent(count -> {
                for (int i = 0; i < count; i++) {
                    gpus.add(new Gpu());
                }
            });
        }

        SimulationResult simulate(List<ModelDemand> models) {
            List<Replica> first = new ArrayList<>();
            for (ModelDemand model : models) {
                placed.putIfAbsent(model.model(), new ArrayList<>());
                for (int i = 0; i < model.replicas(); i++) {
                    first.add(new Replica(model.model(), model.bytes() + headroomBytes));
                }
            }
            if (policy == SimulationPolicy.BEST_FIT_DECREASING) {
                first.sort(Comparator.comparingLong((Replica replica) -> replica.footprint)
                        .reversed());
            }
            for (Replica replica : first) {
                placeOneByOne(replica).ifPresent(placed.get(replica.model)::add);
            }
            int gpusNeeded = used;
            double fragmentation = fragmentationPercent();
            Random random = new Random(seed);
            for (int release = 0; release < releases.count(); release++) {
                release(random);
            }
            return new SimulationResult(
                    policy, first.size(), gpusNeeded, peak, fragmentation, oomEvents, failures, rolled, withoutSurge);
        }

        private void release(Random random) {
            List<String> names = new ArrayList<>(placed.keySet());
            names.removeIf(name -> placed.get(name).isEmpty());
            Collections.shuffle(names, random);
            List<String> rolling = names.subList(0, Math.min(releases.modelsPerRelease(), names.size()));
            Map<String, List<Replica>> old = new LinkedHashMap<>();
            Map<String, Long> newFootprint = new LinkedHashMap<>();
            for (String name : rolling) {
                List<Replica> replicas = placed.get(name);
                old.put(name, List.copyOf(replicas));
                double change = (2 * random.nextDouble() - 1) * releases.memoryChange();
                long bytes = Math.round((replicas.getFirst().footprint - headroomBytes) * (1 + change));
                newFootprint.put(name, Math.clamp(bytes, 1, capacity - headroomBytes) + headroomBytes);
            }
            int steps = old.values().stream().mapToInt(List::size).max().orElse(0);
            for (int step = 0; step < steps; step++) {
                List<Replica> wave = new ArrayList<>();
                List<Replica> stoppedFirst = new ArrayList<>();
                for (String name : rolling) {
                    if (step < old.get(name).size()) {
                        Replica replica = new Replica(name, newFootprint.get(name));
                        // all of a wave decide before any of them allocates: the naive policies cannot see each other
                        if (choose(replica)) {
                            wave.add(replica);
                        } else if (policy == SimulationPolicy.BEST_FIT_DECREASING) {
                            // admission says "fits only without surge": the old replica stops first (maxSurge 0)
                            Replica stopping = old.get(name).get(step);
                            remove(stopping);
                            if (choose(replica)) {
                                wave.add(replica);
                                stoppedFirst.add(stopping);
                                withoutSurge++;
                            } else {
                                restore(stopping);
                                failures++;
                            }
                        } else {
                            failures++;
                        }
                    }
                }
                for (Replica replica : wave) {
                    replica.gpu.live += replica.footprint;
                }
                peak = Math.max(peak, used);
                List<Replica> survivors = new ArrayList<>(wave);
                for (Replica crashed : outOfMemory(wave)) {
                    survivors.remove(crashed);
                    placeOneByOne(new Replica(crashed.model, crashed.footprint)).ifPresent(survivors::add);
                }
                for (Replica replica : survivors) {
                    List<Replica> replicas = placed.get(replica.model);
                    Replica stopping = old.get(replica.model).get(step);
                    if (!stoppedFirst.contains(stopping)) {
                        remove(stopping);
                    }
                    replicas.set(replicas.indexOf(stopping), replica);
                    rolled++;
                }
            }
        }

        /** The newest replicas of {@code wave} on every GPU they overfill, removed as crashed. */
        private List<Replica> outOfMemory(List<Replica> wave) {
            List<Replica> crashed = new ArrayList<>();
            for (Replica replica : wave.reversed()) {
                if (replica.gpu.live > capacity) {
                    oomEvents++;
                    remove(replica);
                    crashed.add(replica);
                }
            }
            return crashed.reversed();
        }

        /** Places a replica and lets it allocate before anything else happens; an overfilled GPU is an OOM. */
        private Optional<Replica> placeOneByOne(Replica replica) {
            if (!choose(replica)) {
                failures++;
                return Optional.empty();
            }
            replica.gpu.live += replica.footprint;
            peak = Math.max(peak, used);
            if (replica.gpu.live > capacity) {
                oomEvents++;
                remove(replica);
                failures++;
                return Optional.empty();
            }
            return Optional.of(replica);
        }

        private void restore(Replica replica) {
            Gpu gpu = replica.gpu;
            gpu.declared += replica.footprint;
            gpu.live += replica.footprint;
            if (gpu.replicas++ == 0) {
                used++;
            }
        }

        private void remove(Replica replica) {
            Gpu gpu = replica.gpu;
            gpu.declared -= replica.footprint;
            gpu.live -= replica.footprint;
            gpu.replicas--;
            if (gpu.replicas == 0) {
                used--;
            }
        }

        /** Chooses a GPU by the policy and declares the replica on it; false when the fleet has none. */
        private boolean choose(Replica replica) {
            Gpu gpu = switch (policy) {
                case ONE_PER_GPU -> firstEmpty();
                case ROUND_ROBIN -> nextInTurn(replica);
                case LEAST_LOADED -> mostLiveFree(replica);
                case BEST_FIT_DECREASING -> bestFitDeclared(replica);
            };
            if (gpu == null) {
                if (!fleet.grows()) {
                    return false;
                }
                gpu = new Gpu();
                gpus.add(gpu);
                cursor = 0; // the turn after the newest GPU is the first one's
            }
            replica.gpu = gpu;
            gpu.declared += replica.footprint;
            if (gpu.replicas++ == 0) {
                used++;
            }
            return true;
        }

        private Gpu firstEmpty() {
            for (Gpu gpu : gpus) {
                if (gpu.replicas == 0) {
                    return gpu;
                }
            }
            return null;
        }

        private Gpu nextInTurn(Replica replica) {
            if (gpus.isEmpty()) {
                return null;
            }
            if (!fleet.grows()) {
                Gpu gpu = gpus.get(cursor);
                cursor = (cursor + 1) % gpus.size();
                return gpu;
            }
            for (int k = 0; k < gpus.size(); k++) {
                int index = (cursor + k) % gpus.size();
                Gpu gpu = gpus.get(index);
                if (capacity - gpu.live >= replica.footprint) {
                    cursor = (index + 1) % gpus.size();
                    return gpu;
                }
            }
            return null;
        }

        private Gpu mostLiveFree(Replica replica) {
            Gpu best = null;
            for (Gpu gpu : gpus) {
                long free = capacity - gpu.live;
                if (free >= replica.footprint && (best == null || free > capacity - best.live)) {
                    best = gpu;
                }
            }
            return best;
        }

        private Gpu bestFitDeclared(Replica replica) {
            Gpu best = null;
            for (Gpu gpu : gpus) {
                long free = capacity - Math.max(gpu.declared, gpu.live);
                if (free >= replica.footprint
                        && (best == null || free < capacity - Math.max(best.declared, best.live))) {
                    best = gpu;
                }
            }
            return best;
        }

        private double fragmentationPercent() {
            long free = 0;
            for (Gpu gpu : gpus) {
                if (gpu.replicas > 0) {
                    free += Math.max(0, capacity - gpu.live);
                }
            }
            return used == 0 ? 0 : 100.0 * free / ((double) used * capacity);
        }
    }
}
