// The one local user: every app is theirs and every release is made by them.
import { randomUUID } from 'node:crypto'
import { userInfo } from 'node:os'
import type { Account } from '../model.js'
import type { Store } from '../store/index.js'

export class AccountService {
  constructor(private readonly store: Store, private readonly now: () => string) {}

  /** The account, made at first start: its id and email stay the same for the life of platform.db. */
  get(): Account {
    const existing = this.store.account.get()
    if (existing) return existing
    return this.store.transaction(() => {
      const raced = this.store.account.get()
      if (raced) return raced
      const user = localUserName()
      const now = this.now()
      const account: Account = { id: randomUUID(), email: `${user}@tb.localhost`, name: user, createdAt: now, updatedAt: now }
      this.store.account.insert(account)
      return account
    })
  }
}

/** The OS login name made safe for the local part of an email address. */
function localUserName(): string {
  let name = ''
  try {
    name = userInfo().username
  } catch {
    // no passwd entry for this uid (some containers)
  }
  name = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[.-]+|[.-]+$/g, '')
  return name || 'user'
}
