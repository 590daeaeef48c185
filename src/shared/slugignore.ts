// .slugignore (gitignore syntax, at the app's root): the files a build leaves out of the slug, as
// Heroku's does before the buildpack runs. One matcher for both sides: tb deploy leaves them out
// of what it sends, the platform removes them from a source that still has them (a git push).
import ignore from 'ignore'

export const SLUGIGNORE = '.slugignore'

/** Whether `.slugignore`'s `text` leaves out `path` (relative to the app, `/`-separated). */
export function slugignoreMatcher(text: string): (path: string) => boolean {
  const matcher = ignore().add(text)
  return (path) => matcher.ignores(path)
}
