import type { ApiRoutes } from '../http/route-table.js'
import { registerAccountLinkRoutes } from './account-links.js'
import { registerAccountRoutes } from './account.js'
import { registerAddonRoutes } from './addons.js'
import { registerAppRoutes } from './apps.js'
import { registerBuildpackInstallationRoutes } from './buildpack-installations.js'
import { registerBuildRoutes } from './builds.js'
import { registerConfigVarRoutes } from './config-vars.js'
import { registerDomainRoutes } from './domains.js'
import { registerDeployRoutes } from './deploys.js'
import { registerDynoRoutes } from './dynos.js'
import { registerDynoExecRoutes } from './dyno-exec.js'
import { registerFormationRoutes } from './formation.js'
import { registerLogDrainRoutes } from './log-drains.js'
import { registerLogSessionRoutes } from './log-sessions.js'
import { registerReleaseRoutes } from './releases.js'
import { registerSlugRoutes } from './slugs.js'
import { registerSourceRoutes } from './sources.js'
import type { RouteContext } from './wire.js'

export function registerRoutes(router: ApiRoutes, ctx: RouteContext): void {
  registerAccountRoutes(router, ctx)
  registerAppRoutes(router, ctx)
  registerConfigVarRoutes(router, ctx)
  registerReleaseRoutes(router, ctx)
  registerFormationRoutes(router, ctx)
  registerDynoRoutes(router, ctx)
  registerSlugRoutes(router, ctx)
  registerSourceRoutes(router, ctx)
  registerBuildRoutes(router, ctx)
  registerLogSessionRoutes(router, ctx)
  registerDomainRoutes(router, ctx)
  registerDeployRoutes(router, ctx)
  registerAddonRoutes(router, ctx)
  registerLogDrainRoutes(router, ctx)
  registerDynoExecRoutes(router, ctx)
  registerAccountLinkRoutes(router, ctx)
  registerBuildpackInstallationRoutes(router, ctx)
}
