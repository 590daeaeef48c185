// How the parts of the platform hand lines to the log router (src/platform/logs).
export interface LogLineInput {
  /** `app` for the app's own output and release notes, `heroku` for the platform's words */
  source: 'app' | 'heroku'
  /** `web.1`, `run.3`, `router`, `api`, `build` */
  dyno: string
  message: string
  time?: Date
}

export interface LogSink {
  append(appId: string, line: LogLineInput): void
}
