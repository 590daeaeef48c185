import { RATE_LIMIT_REMAINING } from '../http/handler.js'
import type { ApiRoutes } from '../http/route-table.js'
import type { Account } from '../model.js'
import { time, type RouteContext } from './wire.js'

export function accountJson(account: Account) {
  return {
    allow_tracking: false,
    beta: false,
    country_of_residence: null,
    created_at: time(account.createdAt),
    default_organization: null,
    default_team: null,
    delinquent_at: null,
    email: account.email,
    federated: false,
    id: account.id,
    identity_provider: null,
    last_login: null,
    name: account.name,
    sms_number: null,
    suspended_at: null,
    two_factor_authentication: false,
    updated_at: time(account.updatedAt),
    verified: true,
  }
}

export function registerAccountRoutes(router: ApiRoutes, { services }: RouteContext): void {
  router.get('/account', () => ({ status: 200, body: accountJson(services.account.get()) }))
  router.get('/account/rate-limits', () => ({ status: 200, body: { remaining: RATE_LIMIT_REMAINING } }))
}
