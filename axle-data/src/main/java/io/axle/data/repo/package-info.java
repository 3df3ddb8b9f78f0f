/**
 * The repository and its config. Start here: {@link io.axle.data.repo.DvcRepo#find(java.nio.file.Path)} (exit 253 if
 * none), then {@code config()} ({@link io.axle.data.repo.RepoConfig}: {@code defaultRemote()}, {@code remotes()},
 * {@code remote(name)} as {@link io.axle.data.repo.RemoteConfig} with url, endpointurl, region, profile, jobs),
 * {@code cache()}, {@code linker()}, {@code ignore()}, {@code openState()}. {@link io.axle.data.repo.RemoteSettings}
 * edits remotes; {@link io.axle.data.repo.ConfigFile} reads and writes DVC's configobj INI;
 * {@link io.axle.data.repo.GitCli} asks Git; {@link io.axle.data.repo.AtomicFiles} writes small files whole or not at all. Every failure is a
 * {@link io.axle.data.repo.DataException} whose {@code exitCode()} is DVC's for the same failure.
 */
package io.axle.data.repo;
