#!/usr/bin/env bash
# podman, for podman-compose 1.0.3 (Debian bookworm): that version adds `--net <project>_default
# --network-alias <service>` to every `podman run`, even with network_mode: host, and podman refuses
# both beside --network host. Given as `podman-compose --podman-path docker/podman-hostnet.sh`, this
# drops that pair from a run that asks for the host network and passes everything else on unchanged.
set -euo pipefail
args=("$@")
host=0
for ((i = 0; i < ${#args[@]} - 1; i++)); do
  [ "${args[i]}" = --network ] && [ "${args[i + 1]}" = host ] && host=1
done
[ "$host" = 1 ] || exec podman "$@"
out=()
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --net | --network-alias) i=$((i + 1)) ;;
    *) out+=("${args[i]}") ;;
  esac
done
exec podman "${out[@]}"
