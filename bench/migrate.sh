#!/usr/bin/env bash
# Measures a real blog's migration into Quire (issue 15); see docs/MIGRATING.md.
#   bench/migrate.sh zola|hugo|jekyll SOURCE_DIR [--binary PATH] [--json] [--markdown] [--drafts]
#                    [--urls-out FILE] [--keep] [--name NAME] [--commit SHA] [--timeout S]
# Default binary: /work/main/dist/quire, or $QUIRE_BIN. Copied to a temp dir before it runs.
set -euo pipefail
exec python3 "$(dirname "$0")/migrate.py" "$@"
