// `/info` as a whole engine reports it. The simulated daemon leaves out details that do not
// depend on the swarm (storage driver status, plugins, runtimes…); Swarm Lab's CLI prints a
// stock engine's values for them, so the server reports those same values and the real
// docker CLI prints the same `docker info`.
import type { Info } from '../../api/types.js';
import { FALLBACK } from '../../cli/commands/system/info.js';

export function completeInfo(info: Info): Info {
  return {
    ...info,
    DriverStatus: info.DriverStatus ?? FALLBACK.DriverStatus,
    Plugins: info.Plugins ?? FALLBACK.Plugins,
    LoggingDriver: info.LoggingDriver ?? FALLBACK.LoggingDriver,
    CgroupDriver: info.CgroupDriver ?? FALLBACK.CgroupDriver,
    CgroupVersion: info.CgroupVersion ?? FALLBACK.CgroupVersion,
    Runtimes: info.Runtimes ?? Object.fromEntries(FALLBACK.Runtimes.map((r) => [r, { path: 'runc' }])),
    DefaultRuntime: info.DefaultRuntime ?? FALLBACK.DefaultRuntime,
    InitBinary: info.InitBinary ?? FALLBACK.InitBinary,
    SecurityOptions: info.SecurityOptions ?? FALLBACK.SecurityOptions,
    DockerRootDir: info.DockerRootDir ?? FALLBACK.DockerRootDir,
    Debug: info.Debug ?? false,
    ExperimentalBuild: info.ExperimentalBuild ?? false,
    RegistryConfig: info.RegistryConfig ?? { InsecureRegistryCIDRs: FALLBACK.InsecureRegistries },
    LiveRestoreEnabled: info.LiveRestoreEnabled ?? false,
    Warnings: info.Warnings ?? null,
  };
}
