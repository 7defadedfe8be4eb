#!/usr/bin/env bash
# Runs the project's build script (build/Build.cs) with the dotnet on PATH: ./build.sh --help
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export KRYPTON_ROOT="$SCRIPT_DIR" KRYPTON_COMMAND="./build.sh"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: dotnet was not found on PATH. Install the .NET 10 SDK (https://dot.net) and run ./build.sh again." >&2
  exit 1
fi
# What the compiled script depends on: the script, its project, the parameter files the compiler checks, and the
# package folder. When none was added, removed or changed since the last compile, the compiled script runs at once
# (dotnet build with nothing to do takes over a second). dotnet tierpsy-krypton keeps the same list in the same order.
STAMP="$SCRIPT_DIR/build/obj/krypton-inputs.txt"
COMPILED="$SCRIPT_DIR/build/bin/Debug/net10.0/_build.dll"
inputs() {
  find "$SCRIPT_DIR/build" \( -name bin -o -name obj \) -prune -o -type f -print
  find "$SCRIPT_DIR/.krypton" "$SCRIPT_DIR/AuxiliaryFiles" -maxdepth 1 -type f -name '*.json' -print 2>/dev/null || true
  find "$SCRIPT_DIR" -maxdepth 1 \( -name 'Directory.Build.*' -o -name global.json -o -iname nuget.config \) -print
  echo "packages: ${KRYPTON_PACKAGES:-}"
}
newer_inputs() {
  inputs | grep -v '^packages: ' | while IFS= read -r f; do [ "$f" -nt "$STAMP" ] && echo "$f"; done
}
if [ -f "$COMPILED" ] && [ -f "$STAMP" ] && [ "$(inputs | LC_ALL=C sort)" = "$(cat "$STAMP")" ] \
  && [ -z "$(newer_inputs)" ]; then
  exec dotnet "$COMPILED" "$@"
fi
# Compile the build script quietly: the compiler's whole output only when it fails; its warnings (the parameter
# file checks, KRY005-KRY011, among them) once, when it compiles, and not again while nothing has changed.
if ! output="$(dotnet build "$SCRIPT_DIR/build/_build.csproj" -nologo -v q -clp:NoSummary /nodeReuse:false 2>&1)"; then
  rm -f "$STAMP"
  printf '%s\n' "$output" >&2
  echo "error: build/_build.csproj does not compile; see above." >&2
  exit 1
fi
printf '%s\n' "$output" | grep -E ': warning [A-Z]+[0-9]+: ' | sed -E 's/ \[[^]]*\.csproj\]$//' \
  | awk '!seen[$0]++' >&2 || true
inputs | LC_ALL=C sort > "$STAMP"
exec dotnet run --project "$SCRIPT_DIR/build/_build.csproj" --no-build -- "$@"
