#!/bin/sh
# A sweep split over the cores of one big machine: N shards at once, one thread each, then merged.
#   sh examples/xargs-sweep.sh
set -eu

# The sweep's options, in one place (the environment may override each of these four).
SWEEP_OPTIONS="${SWEEP_OPTIONS:---pattern xavier:tanh --gain 0.5:3:26 --bias-std 0:0.5:11 --depth 50 --batch 256 --width 256}"
RELU_SPREAD_CHECK="${RELU_SPREAD_CHECK:-npx relu-spread-check}"
PARTS="${PARTS:-parts}"
SHARDS="${SHARDS:-$(nproc)}"

# each shard's index reaches the command as $1 (xargs -n 1), never by replacing a letter in its text
seq 0 $((SHARDS - 1)) | xargs -P "$SHARDS" -n 1 sh -c "$RELU_SPREAD_CHECK sweep $SWEEP_OPTIONS --shard \$1/$SHARDS --threads 1 --out $PARTS/\$1 --quiet" shard
$RELU_SPREAD_CHECK sweep-merge "$PARTS"/* --out "${OUT:-sweep}" --quiet
