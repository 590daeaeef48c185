// What the reverse proxy is told about an app: its hostname's facts and its web dynos.

/** A web dyno's listener. */
export interface Backend {
  /** `web.1` */
  dyno: string
  port: number
  /** default 127.0.0.1 */
  host?: string
  /** takes no new requests; `idle()` says when the ones in flight are done */
  draining?: boolean
  /** a canary deploy's new dyno: gets `canaryPercent` of the requests (the others go to the rest) */
  canary?: boolean
}

export interface AppRoute {
  appId: string
  appName: string
  maintenance: boolean
  /** false until a release with a slug exists (H81) */
  released: boolean
  web: {
    /** the formation's web quantity (0 → H14) */
    quantity: number
    /** web dynos that are up */
    backends: Backend[]
    /** a web dyno is starting or restarting: requests wait for it */
    booting: boolean
    /** web dynos crashed; with none up and none booting → H10 */
    crashed: boolean
    /** the share (0–100) of requests for the canary backends, while a canary deploy runs */
    canaryPercent?: number
  }
}
