# Sourced by scripts/setup.sh and scripts/release.sh: the nightly toolchain that builds the
# browser app's release modules (only those; see scripts/release.sh), pinned by date.
FAIRGROUND_NIGHTLY=nightly-2026-05-20
