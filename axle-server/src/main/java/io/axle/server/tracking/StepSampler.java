package io.axle.server.tracking;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Chooses the steps a chart over several runs shows: evenly spread, and every run's first and last step kept. */
final class StepSampler {
    private StepSampler() {}

    static List<Long> sample(
            RunDao runs,
            List<String> runIds,
            String key,
            Optional<Long> startStep,
            Optional<Long> endStep,
            int maxResults) {
        TreeSet<Long> allSteps = new TreeSet<>();
        TreeSet<Long> boundaries = new TreeSet<>();
        for (String runId : runIds) {
            List<Long> steps = runs.steps(runId, key);
            if (!steps.isEmpty()) {
                allSteps.addAll(steps);
                boundaries.add(steps.getFirst());
                boundaries.add(steps.getLast());
            }
        }
        if (allSteps.isEmpty()) {
            return List.of();
        }
        long start = startStep.orElse(0L);
        long end = endStep.orElse(allSteps.last());
        List<Long> inRange = List.copyOf(allSteps.subSet(start, true, end, true));
        TreeSet<Long> sampled = new TreeSet<>();
        if (inRange.size() <= maxResults) {
            sampled.addAll(inRange);
        } else {
            double interval = (double) inRange.size() / maxResults;
            for (int i = 0; i < maxResults; i++) {
                sampled.add(inRange.get((int) (i * interval)));
            }
            sampled.add(inRange.getLast());
        }
        boundaries.subSet(start, true, end, true).forEach(sampled::add);
        return List.copyOf(sampled);
    }
}
