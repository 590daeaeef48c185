// The pushes under way: each receive-pack request opens one, with a one-time secret that its
// pre-receive hook (a grandchild of git's http-backend, with no API key) uses to call back with
// the pushed commit. A push is good for one call, and only while its request lasts.
import { randomBytes, timingSafeEqual } from 'node:crypto'

export interface Push {
  appId: string
  token: string
  /** the branch a successful build released (HEAD then names it) */
  released?: string
}

export class Pushes {
  private readonly open = new Map<string, Push>()

  /** A push of `appId` starts; close it when its request ends. */
  start(appId: string): Push {
    const push = { appId, token: randomBytes(32).toString('base64url') }
    this.open.set(push.token, push)
    return push
  }

  /** The push `token` names, once: a second call with it finds nothing. */
  take(token: string): Push | undefined {
    for (const [key, push] of this.open) {
      if (key.length === token.length && timingSafeEqual(Buffer.from(key), Buffer.from(token))) {
        this.open.delete(key)
        return push
      }
    }
    return undefined
  }

  end(push: Push): void {
    this.open.delete(push.token)
  }
}
