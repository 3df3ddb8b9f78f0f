package io.axle.server.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.axle.server.db.Database;
import io.axle.server.events.EventLog;
import io.axle.server.registry.RegistryService;
import java.time.InstantSource;

/** The deploy feature put together: its service, and a deployer that runs while the server does. */
public final class Deployments implements AutoCloseable {
    private final DeploymentService service;
    private final Deployer deployer;

    private Deployments(DeploymentService service, Deployer deployer) {
        this.service = requireNonNull(service, "service is null");
        this.deployer = requireNonNull(deployer, "deployer is null");
    }

    public static Deployments create(
            Database database,
            EventLog events,
            RegistryService registry,
            ObjectMapper mapper,
            DeployConfig config,
            InstantSource clock) {
        Release release = new Release(
                registry, events, config.publisher(), new DeployAdmission(config.headroomBytes()), mapper, clock);
        DeploymentService service = new DeploymentService(database, events, registry, release, mapper, clock);
        return new Deployments(service, new Deployer(database, events, service, config, clock::millis));
    }

    public DeploymentService service() {
        return service;
    }

    public Deployer deployer() {
        return deployer;
    }

    /** Starts releasing in the background. */
    public void start() {
        deployer.start();
    }

    @Override
    public void close() {
        deployer.close();
    }
}
