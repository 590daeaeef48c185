// node-tar's pack, as both tb deploy (the source) and a build (the slug) run it.
//
// node-tar 7.5.x (7.5.24, the newest 7.x, too; 8.x changes the API) stats up to four entries at
// once and defers a hard link whose target is still in flight; packing that deferred entry ends
// the gzip stream a second time, an error thrown on an internal stream, outside any promise (a
// directory whose last file is a hard link killed the daemon). One stat at a time leaves nothing
// deferred: every hard link finds its target already packed, and stays a link.
export const HARD_LINK_SAFE_PACK = { jobs: 1 } as const
