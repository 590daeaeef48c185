import type { Router } from '../http/router.js'
import { registerAccountRoutes } from './account.js'
import { registerAppRoutes } from './apps.js'
import { registerConfigVarRoutes } from './config-vars.js'
import { registerFormationRoutes } from './formation.js'
import { registerReleaseRoutes } from './releases.js'
import { registerSlugRoutes } from './slugs.js'
import type { RouteContext } from './wire.js'

export function registerRoutes(router: Router, ctx: RouteContext): void {
  registerAccountRoutes(router, ctx)
  registerAppRoutes(router, ctx)
  registerConfigVarRoutes(router, ctx)
  registerReleaseRoutes(router, ctx)
  registerFormationRoutes(router, ctx)
  registerSlugRoutes(router, ctx)
}
