// What to tell a user whose file tb could not read: the reason in words, not an errno.

/** `no such file`, `it is a directory`, `permission denied`, else the error's own message. */
export function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'EACCES') return 'permission denied'
  return (err as Error).message
}
