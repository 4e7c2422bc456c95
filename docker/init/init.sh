#!/bin/sh
# The one-shot init service: the prompts into their volume (those built ahead are copied, the rest built
# from the manifest), the demo tenant and first admin into the store (as/seed.ts, idempotent), then the
# agents' PJSIP endpoints and the fax numbers' dialplan into the volume Asterisk includes them from. Asterisk waits for that file, so
# it starts with the agents' phones; running init again changes nothing.
set -eu
cp -an /app/asterisk/prompts/build/. /prompts/
node --enable-source-maps dist/scripts/build-prompts.js --manifest /app/asterisk/prompts/manifest.json --out /prompts
# The store may still be starting (PostgreSQL initialises its volume on the first boot).
tries=0
until node --enable-source-maps dist/as/seed.js; do
  tries=$((tries + 1))
  [ "$tries" -lt "${INIT_SEED_TRIES:-60}" ] || { echo "seed failed $tries times" >&2; exit 1; }
  sleep 2
done
node --enable-source-maps dist/scripts/agent-endpoints.js /var/lib/ipcc-agents/pjsip_agents.conf.tmp
mv /var/lib/ipcc-agents/pjsip_agents.conf.tmp /var/lib/ipcc-agents/pjsip_agents.conf
# The fax numbers' dialplan from the fax queues' addresses (docs/fax.md); ISAG rewrites it on every
# queue change and reloads the dialplan.
node --enable-source-maps dist/scripts/fax-numbers.js /var/lib/ipcc-agents/extensions_ipcc_fax_numbers.conf.tmp
mv /var/lib/ipcc-agents/extensions_ipcc_fax_numbers.conf.tmp /var/lib/ipcc-agents/extensions_ipcc_fax_numbers.conf
# The services run as ipcc (uid 10001): SoftACD rewrites the endpoints file, ISAG the fax numbers, the
# IVR renders speech into the prompts; Asterisk (root) reads them. Asterisk writes faxes and SIP MESSAGEs
# into the spools, where ISAG reads and removes the files: the directories are ISAG's.
mkdir -p /var/lib/ipcc-agents/run
chown -R 10001:10001 /prompts /var/lib/ipcc-agents /var/spool/asterisk/fax /var/spool/asterisk/sms
