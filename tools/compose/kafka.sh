#!/usr/bin/env bash
# The Kafka broker of docker-compose.yml as the local stack runs it (api.md, "Kafka topics"; LocalKafkaBroker): every
# client authenticates with SASL/SCRAM-SHA-512 on the only client listener, each service as its own principal, and
# is authorized by ACLs (StandardAuthorizer, nothing without an ACL); `admin` is the broker's own principal and the
# super user. The passwords come from .env, by environment, and are written only to owner-only files in /tmp.
#
#   kafka.sh serve    the kafka service: formats the storage on first start with every principal's SCRAM
#                     credential (a client can only add credentials once it has logged in), then runs the image's own
#                     start (/etc/kafka/docker/run), with the listeners' JAAS logins in a file (KAFKA_OPTS)
#   kafka.sh health   the kafka service's healthcheck: the broker answers the admin over SASL
#   kafka.sh init     the kafka-init service, once the broker is healthy: sets the services' SCRAM credentials to
#                     those of .env, adds the ACLs below and creates the topics (12 partitions each); idempotent
set -euo pipefail
umask 077
bin=${KAFKA_BIN:-/opt/kafka/bin}         # the image's tools
image_run=${KAFKA_IMAGE_RUN:-/etc/kafka/docker/run} # the image's own start
bootstrap=${KAFKA_INIT_BOOTSTRAP:-kafka:9092}
partitions=${KAFKA_INIT_PARTITIONS:-12}

# The ACLs, one per line: principal, operation, resource type, resource name. The same as platform's
# KafkaPrincipals.acls() (cli's DeploymentFilesTest compares them). TOPICS: contracts' Topics.ALL.
ACLS="
collector   Write  topic  tlsrollout.snapshots.v1
rules       Read   topic  tlsrollout.snapshots.v1
rules       Read   group  rules-service
rules       Write  topic  tlsrollout.evaluations.v1
rules       Write  topic  tlsrollout.snapshots.v1.dlq
remediation Read   topic  tlsrollout.evaluations.v1
remediation Read   group  remediation-service
remediation Write  topic  tlsrollout.job-events.v1
remediation Read   topic  tlsrollout.job-events.v1
remediation Write  topic  tlsrollout.evaluations.v1.dlq
collector   Write  topic  tlsrollout.audit.v1
remediation Write  topic  tlsrollout.audit.v1
remediation Read   topic  tlsrollout.audit.v1
remediation Read   group  remediation-service-audit
remediation Write  topic  tlsrollout.audit.v1.dlq
"
TOPICS="tlsrollout.snapshots.v1 tlsrollout.snapshots.v1.dlq tlsrollout.evaluations.v1 tlsrollout.evaluations.v1.dlq
tlsrollout.job-events.v1 tlsrollout.job-events.v1.dlq tlsrollout.audit.v1 tlsrollout.audit.v1.dlq"

password() { # the password of a principal, from TLSROLLOUT_KAFKA_<PRINCIPAL>_PASSWORD
  local name="TLSROLLOUT_KAFKA_${1^^}_PASSWORD"
  local value=${!name:-}
  if [[ ! $value =~ ^[A-Za-z0-9_-]{16,}$ ]]; then
    echo "kafka.sh: set $name in .env: 16 or more letters, digits, '-' or '_' (see .env.example)" >&2
    exit 1
  fi
  printf '%s' "$value"
}

admin_config() { # a client configuration that logs in as admin, owner-only
  local file=/tmp/tlsrollout-admin.properties
  printf '%s\n' "security.protocol=SASL_PLAINTEXT" "sasl.mechanism=SCRAM-SHA-512" \
    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$(password admin)\";" \
    > "$file"
  printf '%s' "$file"
}

serve() {
  local admin
  admin=$(password admin)
  local data=${KAFKA_LOG_DIRS:?KAFKA_LOG_DIRS must name the data volume}
  if [[ ! -f $data/meta.properties ]]; then
    # The settings the format reads (node, quorum, listeners, log directory): the same as the environment gives.
    printf '%s\n' "process.roles=$KAFKA_PROCESS_ROLES" "node.id=$KAFKA_NODE_ID" \
      "controller.quorum.voters=$KAFKA_CONTROLLER_QUORUM_VOTERS" \
      "controller.listener.names=$KAFKA_CONTROLLER_LISTENER_NAMES" "listeners=$KAFKA_LISTENERS" \
      "advertised.listeners=$KAFKA_ADVERTISED_LISTENERS" "inter.broker.listener.name=$KAFKA_INTER_BROKER_LISTENER_NAME" \
      "listener.security.protocol.map=$KAFKA_LISTENER_SECURITY_PROTOCOL_MAP" \
      "listener.name.client.sasl.enabled.mechanisms=$KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS" \
      "listener.name.controller.sasl.enabled.mechanisms=$KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS" \
      "sasl.mechanism.inter.broker.protocol=$KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL" \
      "sasl.mechanism.controller.protocol=$KAFKA_SASL_MECHANISM_CONTROLLER_PROTOCOL" \
      "log.dirs=$data" > /tmp/tlsrollout-format.properties
    local scram=()
    for principal in admin collector rules remediation; do
      scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(password "$principal")]")
    done
    # Its output lists the bootstrap records, the credentials' salted keys among them: not for the container's log.
    "$bin/kafka-storage.sh" format --ignore-formatted --cluster-id "${CLUSTER_ID:?}" \
      --config /tmp/tlsrollout-format.properties "${scram[@]}" | grep -v '^Bootstrap metadata' || true
    [[ -f $data/meta.properties ]] || { echo "kafka.sh: formatting $data failed" >&2; exit 1; }
  fi
  # The broker's own logins: SCRAM as admin on the client listener (inter-broker), and on the controller listener
  # PLAIN with admin as its only user (SCRAM credentials live in the metadata the controller serves).
  cat > /tmp/tlsrollout-jaas.conf <<EOF
client.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
};
controller.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin" user_admin="$admin";
};
EOF
  export KAFKA_OPTS="${KAFKA_OPTS:-} -Djava.security.auth.login.config=/tmp/tlsrollout-jaas.conf"
  exec "$image_run"
}

health() {
  "$bin/kafka-broker-api-versions.sh" --bootstrap-server localhost:9092 --command-config "$(admin_config)" > /dev/null
}

init() {
  local config
  config=$(admin_config)
  for principal in collector rules remediation; do
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$config" --alter --entity-type users \
      --entity-name "$principal" --add-config "SCRAM-SHA-512=[password=$(password "$principal")]" > /dev/null
  done
  echo "SCRAM-SHA-512 credentials set for collector, rules, remediation"
  while read -r principal operation type name; do
    [[ -n $principal ]] || continue
    "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --add \
      --allow-principal "User:$principal" --operation "$operation" "--$type" "$name" > /dev/null
  done <<< "$ACLS"
  echo "ACLs added"
  for topic in $TOPICS; do
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" --create --if-not-exists \
      --topic "$topic" --partitions "$partitions" --replication-factor 1
  done
}

case ${1:-} in
  serve) serve ;;
  health) health ;;
  init) init ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
