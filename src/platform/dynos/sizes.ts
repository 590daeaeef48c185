// How much memory a dyno of each size may use before the platform says so (R14), as Heroku's
// sizes have it. Keys are the catalog's canonical size names (services/catalog.ts).
const MB = 1024 * 1024

export const MEMORY_QUOTAS: Readonly<Record<string, number>> = {
  Eco: 512 * MB,
  Basic: 512 * MB,
  'Standard-1X': 512 * MB,
  'Standard-2X': 1024 * MB,
  'Performance-M': 2.5 * 1024 * MB,
  'Performance-L': 14 * 1024 * MB,
}

/** The quota of a size; an unknown one gets the smallest, so it is never unbounded. */
export function memoryQuota(size: string, overrides: Readonly<Record<string, number>> = {}): number {
  return overrides[size] ?? MEMORY_QUOTAS[size] ?? MEMORY_QUOTAS.Basic
}

/** Heroku's `Process running mem=612M(119.6%)`. */
export function describeMemory(bytes: number, quota: number): string {
  return `mem=${Math.round(bytes / MB)}M(${((bytes / quota) * 100).toFixed(1)}%)`
}
