#!/usr/bin/env bash
# The real MTA of the e-mail path (docs/email.md): Debian's postfix on 127.0.0.1:25, loopback only. ISAG
# sends agents' replies through it (ISAG_RELAY_HOST:ISAG_RELAY_PORT).
#  - customer.test: the test customers' mailboxes, Maildirs under /var/mail/ipcc-test/<user>/ (alice, bob,
#    carol, dave, erin; `alice+anything@` reaches alice). Any other user there is accepted, then bounced
#    (a DSN to the sender), as a remote domain's MTA would do.
#  - ipcc.local: relayed to ISAG's SMTP server on 127.0.0.1:2525 (ISAG_SMTP_PORT's default): the bounces
#    of agents' replies, whose envelope sender is the queue's address, come back to ISAG that way.
#  - any other domain: bounced at once with a clear reason (this machine sends nothing to the Internet).
# Installs non-interactively (debconf preseed) on a fresh Debian machine; a second run changes nothing,
# and reloads postfix only when a setting changed.
source "$(dirname "$0")/../lib.sh"

MAIL_DIR=/var/mail/ipcc-test
USERS=(alice bob carol dave erin)
ISAG_SMTP=127.0.0.1:2525
VMAIL=ipcc-vmail

if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'ok installed'; then
  as_root debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string mta.ipcc.test
postfix postfix/destinations string localhost
postfix postfix/mynetworks string 127.0.0.0/8
postfix postfix/protocols select ipv4
EOF
  apt_install postfix
fi

# The mailboxes' owner: a system user of its own (virtual(8) refuses root and uids below 100).
if ! getent passwd "$VMAIL" >/dev/null; then
  as_root useradd --system --home-dir "$MAIL_DIR" --no-create-home --shell /usr/sbin/nologin "$VMAIL"
fi
uid=$(id -u "$VMAIL")
gid=$(id -g "$VMAIL")
as_root install -d -o "$VMAIL" -g "$VMAIL" -m 0755 "$MAIL_DIR"

changed=0
restart=0
# Writes a file only when its content differs.
put_file() {
  local path=$1 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if ! cmp -s "$tmp" "$path" 2>/dev/null; then
    as_root install -m 0644 "$tmp" "$path"
    changed=1
  fi
  rm -f "$tmp"
}
# Sets main.cf parameters whose value differs.
set_conf() {
  local key=$1 value=$2
  if [ "$(postconf -h "$key" 2>/dev/null)" != "$value" ]; then
    as_root postconf -e "$key = $value"
    changed=1
  fi
}

for u in "${USERS[@]}"; do printf '%s@customer.test %s/\n' "$u" "$u"; done | put_file /etc/postfix/ipcc-mailboxes
printf 'ipcc.local smtp:[%s]:%s\n' "${ISAG_SMTP%:*}" "${ISAG_SMTP#*:}" | put_file /etc/postfix/ipcc-transport

set_conf compatibility_level 3.6
set_conf myhostname mta.ipcc.test
set_conf mydomain ipcc.test
set_conf myorigin '$myhostname'
set_conf mydestination 'localhost'
# These two are read at start only: a change needs a restart, not a reload.
before=$(postconf -h inet_interfaces inet_protocols 2>/dev/null | tr '\n' ' ')
set_conf inet_interfaces loopback-only
set_conf inet_protocols ipv4
[ "$(postconf -h inet_interfaces inet_protocols | tr '\n' ' ')" = "$before" ] || restart=1
set_conf mynetworks '127.0.0.0/8'
set_conf smtpd_relay_restrictions 'permit_mynetworks, reject_unauth_destination'
set_conf relay_domains ipcc.local
set_conf transport_maps texthash:/etc/postfix/ipcc-transport
set_conf virtual_mailbox_domains customer.test
set_conf virtual_mailbox_base "$MAIL_DIR"
set_conf virtual_mailbox_maps texthash:/etc/postfix/ipcc-mailboxes
set_conf virtual_uid_maps "static:$uid"
set_conf virtual_gid_maps "static:$gid"
set_conf virtual_minimum_uid 100
set_conf recipient_delimiter +
# Accepted at RCPT and bounced afterwards: the sender learns of an unknown user from a DSN, as it would
# from a remote domain, and that path is the one the tests exercise.
set_conf smtpd_reject_unlisted_recipient no
set_conf default_transport 'error:5.7.1 this MTA delivers only to customer.test and ipcc.local'
set_conf relay_transport 'error:5.7.1 this MTA delivers only to customer.test and ipcc.local'
# Loopback only: no TLS either way (nothing between the processes to protect against).
set_conf smtpd_tls_security_level none
set_conf smtp_tls_security_level none
# ISAG takes 30 MB; a reply's 25 MB of attachments grows by a third in base64.
set_conf message_size_limit 41943040
# A bounce for ISAG that found it stopped is tried again soon.
set_conf queue_run_delay 10s
set_conf minimal_backoff_time 10s
set_conf maximal_backoff_time 60s
set_conf biff no
# No syslog daemon on these machines: postfix writes its own log (postlogd).
set_conf maillog_file /var/log/postfix.log

as_root postfix check
[ -f /etc/aliases.db ] || as_root newaliases
if as_root postfix status >/dev/null 2>&1; then
  if [ "$restart" = 1 ]; then
    log "postfix: listening addresses changed, restarting"
    as_root postfix stop >/dev/null 2>&1
    as_root postfix start >/dev/null 2>&1
  elif [ "$changed" = 1 ]; then
    log "postfix: configuration changed, reloading"
    as_root postfix reload >/dev/null 2>&1
  fi
else
  log "starting postfix"
  as_root postfix start >/dev/null 2>&1
fi
wait_port 25 postfix 50
