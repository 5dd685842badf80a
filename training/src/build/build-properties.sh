#!/bin/sh
# Writes superconv/build.properties for superconv.training.session.Provenance: the version being built and the
# commit of the source tree it is built from (git runs here, in the module, so a git worktree reports its own HEAD,
# which the git-commit-id plugin's JGit does not). Outside a git checkout, or without git, no commit is recorded
# and the build goes on.
out="$1"
version="$2"
mkdir -p "$(dirname "$out")" || exit 1
commit=$(git rev-parse HEAD 2>/dev/null) || commit=
if [ -n "$commit" ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
tmp="$out.tmp.$$"
printf 'version=%s\ncommit=%s\n' "$version" "$commit" >"$tmp" && mv "$tmp" "$out"
