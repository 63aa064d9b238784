#!/usr/bin/env bash
# The `esdb-certs` one-shot service of docker-compose.yml (image eventstore/es-gencert-cli, run as root):
# a private CA and one certificate per node, made once and kept on later runs, so `docker compose up`
# never replaces a certificate a running node holds.
#   /ca     the CA and its key: mounted by this service only
#   /certs  ca/ca.crt and <node>/node.{crt,key}: mounted read-only by the nodes, and by the APIs for ca.crt
# To renew a node's certificate (create-node's default validity is one year):
#   docker compose run --rm --entrypoint rm esdb-certs -rf /certs/esdb1
#   docker compose run --rm esdb-certs && docker compose restart esdb1
set -euo pipefail

NODES="${ESDB_NODES:-esdb1 esdb2 esdb3}"
# The eventstore/eventstore image runs as uid 1000; the API runs as 10001 and must read ca.crt only.
ESDB_UID=1000

if [ ! -f /ca/ca.key ]; then
  es-gencert-cli create-ca -out /ca
fi
for node in $NODES; do
  if [ ! -f "/certs/$node/node.crt" ]; then
    # The node's DNS name is its compose service name: what the gossip seeds and the API's connection string use.
    es-gencert-cli create-node -ca-certificate /ca/ca.crt -ca-key /ca/ca.key -out "/certs/$node" -dns-names "$node"
  fi
  chown -R "$ESDB_UID:$ESDB_UID" "/certs/$node"
  chmod 0700 "/certs/$node"
  chmod 0600 "/certs/$node/node.key"
  chmod 0644 "/certs/$node/node.crt"
done
mkdir -p /certs/ca
cp /ca/ca.crt /certs/ca/ca.crt
chmod 0755 /certs /certs/ca
chmod 0644 /certs/ca/ca.crt
chmod 0700 /ca
chmod 0600 /ca/ca.key
echo "esdb-certs: CA and node certificates ready for: $NODES"
