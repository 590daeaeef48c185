#!/usr/bin/env bash
# Regenerates completions/ from the command tree (test/completions.ts fails when they drift).
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/tb.cjs completions bash > completions/tb.bash
node bin/tb.cjs completions zsh > completions/_tb
node bin/tb.cjs completions fish > completions/tb.fish
