#!/usr/bin/env bash
# Regenerates imports/ (typed CRD classes) from the CRD copies in ../shared/crds/,
# one module per CRD so that CRDs of one API group do not overwrite each other.
# With internet access, `npx cdk8s import` reads the same CRDs from the upstream
# URLs listed in cdk8s.yaml (same module names, same tags).
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${CRDS_DIR:-../shared/crds}"
# `cdk8s import <spec>` appends each spec to cdk8s.yaml's imports: and rewrites the file
# with yaml.stringify, dropping its comments (cdk8s-cli 2.207 lib/config.js
# addImportToConfig). The upstream list there is maintained by hand: put it back as it was.
config_backup="$(mktemp)"
cp cdk8s.yaml "$config_backup"
trap 'cp "$config_backup" cdk8s.yaml; rm -f "$config_backup"' EXIT
rm -rf imports && mkdir imports
while read -r module file; do
  npx --no-install cdk8s import --no-check-upgrade --language typescript --output imports "${module}:=${crds}/${file}" >/dev/null
done <<'LIST'
keda-scaledobjects keda.sh_scaledobjects.yaml
keda-triggerauthentications keda.sh_triggerauthentications.yaml
keda-clustertriggerauthentications keda.sh_clustertriggerauthentications.yaml
vpa autoscaling.k8s.io_vpa-v1-crd-gen.yaml
prometheus-servicemonitors monitoring.coreos.com_servicemonitors.yaml
prometheus-podmonitors monitoring.coreos.com_podmonitors.yaml
prometheus-prometheusrules monitoring.coreos.com_prometheusrules.yaml
istio-peerauthentications security.istio.io_peerauthentications.yaml
istio-authorizationpolicies security.istio.io_authorizationpolicies.yaml
istio-gateways networking.istio.io_gateways.yaml
istio-virtualservices networking.istio.io_virtualservices.yaml
istio-destinationrules networking.istio.io_destinationrules.yaml
suc-plans upgrade.cattle.io_plans.yaml
cert-manager-certificates cert-manager.io_certificates.yaml
cert-manager-clusterissuers cert-manager.io_clusterissuers.yaml
cert-manager-issuers cert-manager.io_issuers.yaml
LIST
ls imports
